import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolveBaseline } from '../../../../src/main/engine/attribution/baselines';
import { PixelSpace } from '../../../../src/main/engine/attribution/pixel-space';
import { gaussianBlur } from '../../../../src/main/engine/image/gaussian-blur';
import { resizeBilinear } from '../../../../src/main/engine/image/resize-bilinear';
import { parseNpy, toFloat32 } from '../../../../src/main/engine/io/npy';
import { ModelCard } from '../../../../src/shared/model-card';

const fixture = (name: string): Float32Array => toFloat32(parseNpy(new Uint8Array(readFileSync(new URL(`../../../fixtures/numeric/${name}`, import.meta.url))), name));

const card = ModelCard.parse({
  name: 't',
  input: { name: 'x', layout: 'NCHW', height: 2, width: 2, color: 'RGB' },
  preprocess: { resize: { mode: 'stretch' }, interpolation: 'linear', scale: 1, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
  output: { name: 'y', kind: 'logits', labels: [] },
});

describe('baselines in pixel space, through the model card', () => {
  const pixels = new PixelSpace(card);
  const input = new Float32Array(12).fill(0.3);

  it('black is (0 - mean) / std per channel; white is (1 - mean) / std', async () => {
    const black = await resolveBaseline('black', input, pixels, { seed: 0, blurSigma: 1 });
    const white = await resolveBaseline('white', input, pixels, { seed: 0, blurSigma: 1 });
    expect(black[0]).toBeCloseTo(-0.485 / 0.229, 6);
    expect(black[4]).toBeCloseTo(-0.456 / 0.224, 6);
    expect(white[11]).toBeCloseTo((1 - 0.406) / 0.225, 6);
  });

  it('zeros is zero in tensor space', async () => {
    expect([...(await resolveBaseline('zeros', input, pixels, { seed: 0, blurSigma: 1 }))]).toEqual(new Array(12).fill(0));
  });

  it('uniform noise is reproducible by seed and within the pixel range', async () => {
    const a = await resolveBaseline('uniform-noise', input, pixels, { seed: 5, blurSigma: 1 });
    const b = await resolveBaseline('uniform-noise', input, pixels, { seed: 5, blurSigma: 1 });
    const c = await resolveBaseline('uniform-noise', input, pixels, { seed: 6, blurSigma: 1 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    for (const v of pixels.toPixels(a)) expect(v >= -1e-6 && v <= 1 + 1e-6).toBe(true);
  });
});

describe('Gaussian blur (scipy.ndimage.gaussian_filter, mode reflect, truncate 4)', () => {
  const x = fixture('blur-input.npy');
  it.each([
    [1.5, 'blur-s1.5.npy'],
    [4, 'blur-s4.npy'],
  ])('sigma %s matches scipy', (sigma, name) => {
    const expected = fixture(name);
    const got = gaussianBlur(x, 'NCHW', 3, 9, 11, sigma);
    expected.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
  });

  it('blurs NHWC data the same way', () => {
    // [3, 9, 11] channels-first -> [9, 11, 3] channels-last, blurred, back.
    const hwc = new Float32Array(x.length);
    for (let c = 0; c < 3; c++) for (let i = 0; i < 99; i++) hwc[i * 3 + c] = x[c * 99 + i]!;
    const blurred = gaussianBlur(hwc, 'NHWC', 3, 9, 11, 1.5);
    const expected = fixture('blur-s1.5.npy');
    for (let c = 0; c < 3; c++) for (let i = 0; i < 99; i++) expect(blurred[i * 3 + c]).toBeCloseTo(expected[c * 99 + i]!, 5);
  });
});

describe('Gaussian blur with zeros outside (PAIR Blur IG) and bilinear upsampling', () => {
  it('mode constant matches scipy', () => {
    const x = fixture('blur-input.npy');
    const expected = fixture('blur-constant-s2.npy');
    const got = gaussianBlur(x, 'NCHW', 3, 9, 11, 2, 'constant');
    expected.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
  });

  it('bilinear resize (align_corners false) matches torch.nn.functional.interpolate', () => {
    const x = fixture('blur-input.npy').subarray(0, 99);
    const expected = fixture('resize-bilinear.npy');
    const got = resizeBilinear(x, 9, 11, 20, 17);
    expected.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
  });
});
