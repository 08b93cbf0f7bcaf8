import { gaussianKernel, type BlurMode } from './gaussian-blur';

/**
 * The Gaussian blur of a line of `size` samples as a matrix (row i: the weights output i takes
 * from each input), with scipy's truncation (4 sigma) and border mode. Blurring an image is then
 * A_h X A_w^T, which onnxruntime computes as two batched matrix products: far faster than direct
 * convolution for the large sigmas of Blur IG (up to 50 pixels, a 401-tap kernel).
 */
export function gaussianMatrix(size: number, sigma: number, mode: BlurMode): Float32Array {
  const matrix = new Float32Array(size * size);
  if (sigma <= 0) {
    for (let i = 0; i < size; i++) matrix[i * size + i] = 1;
    return matrix;
  }
  const kernel = gaussianKernel(sigma);
  const radius = (kernel.length - 1) / 2;
  for (let i = 0; i < size; i++) {
    for (let k = -radius; k <= radius; k++) {
      let j = i + k;
      if (j < 0 || j >= size) {
        if (mode === 'constant') continue;
        j = reflectIndex(j, size);
      }
      matrix[i * size + j]! += kernel[k + radius]!;
    }
  }
  return matrix;
}

function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * n;
  let k = ((i % period) + period) % period;
  if (k >= n) k = period - 1 - k;
  return k;
}
