import type { CodecOutput } from './wasm-decoder';

import type { Decoder } from 'jpeg-lossless-decoder-js';

let loading: Promise<typeof Decoder> | undefined;

/** JPEG Lossless (Process 14, any predictor) with jpeg-lossless-decoder-js, loaded on first use. */
export async function decodeJpegLossless(encoded: Uint8Array, bitsAllocated: number): Promise<CodecOutput> {
  loading ??= import('jpeg-lossless-decoder-js').then((m) => m.Decoder);
  const LosslessDecoder = await loading;
  const decoder = new LosslessDecoder();
  const copy = encoded.slice();
  const decoded = decoder.decode(copy.buffer, 0, copy.byteLength, bitsAllocated > 8 ? 2 : 1);
  const { xDim, yDim, numComp, precision } = decoder;
  return { width: xDim, height: yDim, components: numComp, bitsPerSample: decoded instanceof Uint16Array ? 16 : Math.min(precision, 8), samples: decoded };
}
