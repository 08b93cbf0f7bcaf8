import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { inspectImage } from '../../../../src/main/engine/image/image-source';
import { preprocess } from '../../../../src/main/engine/image/preprocess';
import { PreprocessedInputs } from '../../../../src/main/engine/image/preprocessed-inputs';
import { ModelCard } from '../../../../src/shared/model-card';

function card(size: number, mean = 0): ModelCard {
  return ModelCard.parse({
    name: 't',
    input: { name: 'x', layout: 'NCHW', height: size, width: size, color: 'RGB' },
    preprocess: { resize: { mode: 'stretch' }, interpolation: 'linear', scale: 1, mean: [mean], std: [1] },
    output: { name: 'y', kind: 'logits', labels: [] },
  });
}

async function image(): Promise<Awaited<ReturnType<typeof inspectImage>>> {
  const raw = new Uint8Array(8 * 8 * 3).map((_, i) => (i * 37) % 256);
  const png = new Uint8Array(await sharp(raw, { raw: { width: 8, height: 8, channels: 3 } }).png().toBuffer());
  return inspectImage(png, 'x.png');
}

describe('each open image is prepared for a model card once', () => {
  it('a second request gets the same tensor as preprocessing again, in its own copy, without decoding', async () => {
    const inputs = new PreprocessedInputs();
    const source = await image();
    const c = card(5);
    const first = await inputs.get(source, c);
    const second = await inputs.get(source, c);
    const direct = await preprocess(source, c);
    expect(Array.from(first.data)).toEqual(Array.from(direct.data));
    expect(Array.from(second.data)).toEqual(Array.from(direct.data));
    expect(second.decodeMs).toBe(0);
    // A method writing into its input must not change the next request's.
    second.data.fill(7);
    expect(Array.from((await inputs.get(source, c)).data)).toEqual(Array.from(direct.data));
  });

  it('another card (an edited one is a new object) prepares the image anew', async () => {
    const inputs = new PreprocessedInputs();
    const source = await image();
    const a = await inputs.get(source, card(5));
    const b = await inputs.get(source, card(5, 0.5));
    expect(b.data[0]).toBeCloseTo(a.data[0]! - 0.5, 6);
    expect((await inputs.get(source, card(4))).data.length).toBe(3 * 4 * 4);
  });
});
