/**
 * The one place that imports onnxruntime-node, so the rest of the engine names its types through
 * here and a future switch (another binding, a test double for the Electron layer) touches one file.
 */
import * as ort from 'onnxruntime-node';

// onnxruntime prints its own log lines to stderr (e.g. when probing CUDA on a machine without it);
// Lumen reports those failures itself, in words, so only fatal lines get through.
ort.env.logLevel = 'fatal';

export type Session = ort.InferenceSession;
export type SessionOptions = ort.InferenceSession.SessionOptions;
export type OrtTensor = ort.Tensor;
export const OrtTensor = ort.Tensor;
export const InferenceSession = ort.InferenceSession;

export function onnxruntimeVersion(): string {
  return ort.env.versions.node ?? ort.env.versions.common ?? 'unknown';
}
