import type { Emitter } from '../emitter';

/**
 * The adjoint of a linear map applied along one axis, y = A x with A [out, in]: moves the axis of
 * `g` last, multiplies by A, and moves it back. Resize and the non-constant Pad modes are such maps.
 */
export function contractAxis(e: Emitter, g: string, rank: number, axis: number, matrix: ArrayLike<number>, out: number, size: number): string {
  const perm = Array.from({ length: rank }, (_, i) => i).filter((i) => i !== axis);
  perm.push(axis);
  const inverse = new Array<number>(rank);
  perm.forEach((p, i) => (inverse[p] = i));
  const last = e.transpose(g, perm);
  return e.transpose(e.op('MatMul', [last, e.floats(matrix, [out, size])]), inverse);
}
