import { describe, expect, it } from 'vitest';
import { lumen } from '../../helpers/run-lumen';

describe('lumen layers on a vision transformer', () => {
  it('lists the token layers with their patch grid, the class token counted as extra, and marks the default', async () => {
    const r = await lumen('layers', '--model', 'test/fixtures/models/vit/model.onnx');
    expect(r.code, r.err).toBe(0);
    const rows = r.out.split('\n');
    const row = (name: string): string => rows.find((l) => l.startsWith(`${name} `)) ?? '';
    expect(row('/encoder/layers/encoder_layer_1/ln_1/Add_1_output_0')).toMatch(/\[1, 17, 32\]\s+\[32, 4, 4\]\s+tokens, 1 extra\s+default$/);
    expect(row('/Transpose_output_0')).toMatch(/\[1, 16, 32\]\s+\[32, 4, 4\]\s+tokens, 0 extra\s*$/);
    expect(row('/conv_proj/Conv_output_0')).toMatch(/\[1, 32, 4, 4\]\s+\[32, 4, 4\]\s+NCHW\s*$/);
    expect(rows.filter((l) => /default$/.test(l))).toHaveLength(1);
    expect(r.out).toMatch(/Token layers \[1, tokens, C\] are read as their patch grid/);
  });
});
