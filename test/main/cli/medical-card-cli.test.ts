import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/tiny-models';
import { lumen } from '../../helpers/run-lumen';

process.env['LUMEN_HOME'] = tempDir('lumen-home-');
process.env['LUMEN_CACHE_DIR'] = join(tempDir(), 'cache');

const fixtures = new URL('../../fixtures/', import.meta.url).pathname;
// A 1 x 32 x 32 multi-label model (its own card sets GRAY, stretch, 5 findings), with a lung-window card on top.
const model = join(fixtures, 'multilabel/model.onnx');
const card = join(tempDir('medical-card-'), 'lung.card.json');
writeFileSync(card, JSON.stringify({ input: { color: 'GRAY', acceptsPhotometric: ['MONOCHROME2'] }, preprocess: { resize: { mode: 'stretch' }, window: { source: 'preset', name: 'lung' }, valueRange: [-1024, 1024] }, output: { kind: 'multilabel-logits' } }));

describe('a medical card in the CLI', () => {
  it('lumen info lists the fields the card sets, with their source', async () => {
    const r = await lumen('info', '--model', model, '--card', card);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/acceptsPhotometric\s+\["MONOCHROME2"\]\s+\[card\]/);
    expect(r.out).toMatch(/window\s+\{"source":"preset","name":"lung"\}\s+\[card\]/);
    expect(r.out).toMatch(/valueRange\s+\[-1024,1024\]\s+\[card\]/);
    expect(r.out).not.toMatch(/zscore/);
  });

  it('classifies a CT slice through the lung window', async () => {
    const r = await lumen('classify', '--model', model, '--card', card, '--image', join(fixtures, 'medical/CT_small.dcm'), '--json');
    expect(r.code, r.err).toBe(0);
  });

  it('refuses a PNG with a HU window, and a MONOCHROME1 radiograph the card does not accept', async () => {
    const png = await lumen('classify', '--model', model, '--card', card, '--image', join(fixtures, 'medical/gray8.png'));
    expect(png.code).not.toBe(0);
    expect(png.err).toContain('"gray8.png" is a PNG image, which has no modality values (no Hounsfield units)');
    const mono1 = await lumen('classify', '--model', model, '--card', card, '--image', join(fixtures, 'medical/MR_small_mono1.dcm'));
    expect(mono1.code).not.toBe(0);
    expect(mono1.err).toContain('"MR_small_mono1.dcm" is a MONOCHROME1 DICOM image; the model card accepts MONOCHROME2 only.');
  });
});
