/** [H, W, C] -> [C, H, W] and back, for operations written for channels-first data. */
export function toChannelsFirst(data: Float32Array, height: number, width: number, channels: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let p = 0; p < height * width; p++) for (let c = 0; c < channels; c++) out[c * height * width + p] = data[p * channels + c]!;
  return out;
}

export function toChannelsLast(data: Float32Array, height: number, width: number, channels: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let p = 0; p < height * width; p++) for (let c = 0; c < channels; c++) out[p * channels + c] = data[c * height * width + p]!;
  return out;
}
