import { z } from 'zod';
import { ErrorPayload } from '../errors';

/**
 * The envelopes every door carries (Electron IPC, the engine's process channel, the bridge's
 * WebSocket). Their payloads are validated separately against the request catalogue.
 */
export const RequestId = z.string().min(1).max(100);

export const RequestMessage = z
  .object({ type: z.literal('request'), id: RequestId, method: z.string(), params: z.unknown() })
  .strict();
export type RequestMessage = z.infer<typeof RequestMessage>;

export const CancelMessage = z.object({ type: z.literal('cancel'), id: RequestId }).strict();
export type CancelMessage = z.infer<typeof CancelMessage>;

export const ResponseMessage = z.discriminatedUnion('ok', [
  z.object({ type: z.literal('response'), id: RequestId, ok: z.literal(true), result: z.unknown() }).strict(),
  z.object({ type: z.literal('response'), id: RequestId, ok: z.literal(false), error: ErrorPayload }).strict(),
]);
export type ResponseMessage = z.infer<typeof ResponseMessage>;

export const EventMessage = z
  .object({ type: z.literal('event'), event: z.string(), payload: z.unknown() })
  .strict();
export type EventMessage = z.infer<typeof EventMessage>;

/** What a client sends. */
export const ClientMessage = z.discriminatedUnion('type', [RequestMessage, CancelMessage]);
export type ClientMessage = z.infer<typeof ClientMessage>;

/** What the engine sends. */
export const EngineMessage = z.union([ResponseMessage, EventMessage]);
export type EngineMessage = z.infer<typeof EngineMessage>;
