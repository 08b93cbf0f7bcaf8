import { z } from 'zod';

/**
 * Every failure that crosses the contract is one of these codes. The code is for programs (tests,
 * the renderer choosing how to show it); `message` says what went wrong and `hint` what to do.
 */
export const ErrorCode = z.enum([
  'invalid-request', // the message did not match the contract (wrong shape, unknown method)
  'invalid-argument', // a well-formed request whose values make no sense (bad top-k, unknown id)
  'not-found', // a file, model, image or sample that does not exist
  'invalid-image', // a file that cannot be decoded as an image
  'image-too-large', // an image above the pixel limit
  'invalid-model', // not an ONNX file, or an ONNX file that onnxruntime rejects
  'unsupported-model', // a valid model Lumen cannot use as an image classifier
  'invalid-card', // a model card that fails validation or contradicts the model
  'execution-provider', // a requested execution provider could not be used
  'inference-failed', // onnxruntime failed while running the model
  'cancelled', // the caller cancelled the work
  'busy', // a resource another process holds (a project open elsewhere)
  'damaged-project', // a project database that fails its integrity check (left untouched)
  'engine-unavailable', // the engine process is gone or not reachable
  'internal', // a bug: anything not anticipated above
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorPayload = z.object({
  code: ErrorCode,
  message: z.string(),
  hint: z.string().optional(),
  /** Structured facts for programs, e.g. the path or the field that was wrong. */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ErrorPayload = z.infer<typeof ErrorPayload>;

/** The one error class of Lumen: it serialises to an `ErrorPayload` and back without loss. */
export class LumenError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, hint?: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'LumenError';
    this.code = code;
    this.hint = hint;
    this.details = details;
  }

  toPayload(): ErrorPayload {
    const payload: ErrorPayload = { code: this.code, message: this.message };
    if (this.hint !== undefined) payload.hint = this.hint;
    if (this.details !== undefined) payload.details = this.details;
    return payload;
  }

  static fromPayload(payload: ErrorPayload): LumenError {
    return new LumenError(payload.code, payload.message, payload.hint, payload.details);
  }

  /** One line for a terminal or a status bar: the problem, then what to do. */
  describe(): string {
    return this.hint ? `${this.message} ${this.hint}` : this.message;
  }
}

/** Any thrown value as a payload; unknown errors become `internal` and keep their message. */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof LumenError) return error.toPayload();
  if (error instanceof Error && error.name === 'AbortError') {
    return { code: 'cancelled', message: 'The operation was cancelled.' };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: 'internal',
    message: `Unexpected error: ${message}`,
    hint: 'This is a bug in Lumen; please report it with the steps that led here.',
  };
}

/** Formats a zod error as "field: problem; field: problem" for humans. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}
