import { z } from 'zod';

/**
 * Binary payloads cross the contract as typed arrays, never as JSON number lists: Electron's IPC
 * and the engine's process channel move them by structured clone, the bridge in binary frames.
 */
export const Bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, {
  message: 'expected binary data (Uint8Array)',
});

export const Float32 = z.custom<Float32Array>((value) => value instanceof Float32Array, {
  message: 'expected a Float32Array',
});

export const Int32 = z.custom<Int32Array>((value) => value instanceof Int32Array, {
  message: 'expected an Int32Array',
});
