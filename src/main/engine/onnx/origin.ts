import type { Message } from '@bufbuild/protobuf';

/**
 * The protobuf message each IR object was decoded from, kept on the side rather than on the object:
 * the IR stays plain (tests compare it with toEqual, passes spread it), and an object a pass builds
 * has no origin, so encoding writes only what the IR says. Encoding an object that has one writes
 * back every field the IR does not model (doc strings, metadata_props, unknown fields).
 */
const origins = new WeakMap<object, Message>();

export function rememberOrigin<T extends object>(ir: T, message: Message): T {
  origins.set(ir, message);
  return ir;
}

/** The message `ir` was decoded from, if it was decoded and is of this message type. */
export function originOf<M extends Message>(ir: object, typeName: M['$typeName']): M | undefined {
  const message = origins.get(ir);
  return message?.$typeName === typeName ? (message as M) : undefined;
}

/** Gives `copy` the origin of `ir` (a pass that rebuilds an object keeps the fields it does not touch). */
export function sameOrigin<T extends object>(copy: T, ir: object): T {
  const message = origins.get(ir);
  if (message) origins.set(copy, message);
  return copy;
}
