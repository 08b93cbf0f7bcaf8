import { LumenError } from '../../../shared/errors';
import type { Probe } from '../onnx/shape-probe';

/** A tensor's dims as the shape probe saw them; a missing one is the compiler's own mistake. */
export function shapeOf(probe: Probe, name: string): number[] {
  const t = probe.get(name);
  if (!t) throw new LumenError('internal', `No probed shape for tensor "${name}".`);
  return t.dims;
}
