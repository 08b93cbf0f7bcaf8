import { describe, expect, it } from 'vitest';
import { tokenGridOf } from '../../../../src/main/engine/attribution/token-grid';

const input = (inputHeight: number, inputWidth: number, featureMaps: Array<[number, number] | [number, number, number]> = []) => ({ featureMaps, inputHeight, inputWidth });

describe('token grid: which [1, N, C] sequences are a patch grid, and how many tokens precede it', () => {
  it('ViT-B/16 at 224: a class token and 14 x 14 patches; without the class token; with 4 registers (DINOv2)', () => {
    expect(tokenGridOf([1, 197, 768], input(224, 224))).toEqual({ extraTokens: 1, height: 14, width: 14 });
    expect(tokenGridOf([1, 196, 768], input(224, 224))).toEqual({ extraTokens: 0, height: 14, width: 14 });
    expect(tokenGridOf([1, 201, 768], input(224, 224))).toEqual({ extraTokens: 5, height: 14, width: 14 });
    // DeiT distilled: class and distillation tokens.
    expect(tokenGridOf([1, 198, 384], input(224, 224))).toEqual({ extraTokens: 2, height: 14, width: 14 });
  });

  it('a Swin stage output (no class token) and a non-square input follow the input aspect', () => {
    expect(tokenGridOf([1, 49, 768], input(224, 224))).toEqual({ extraTokens: 0, height: 7, width: 7 });
    expect(tokenGridOf([1, 13, 64], input(48, 64))).toEqual({ extraTokens: 1, height: 3, width: 4 });
  });

  it("the patch-embedding Conv's grid wins over the input's guess", () => {
    expect(tokenGridOf([1, 17, 32], input(64, 64, [[4, 4]]))).toEqual({ extraTokens: 1, height: 4, width: 4 });
    // A 2 x 8 patch embedding on a square input: the input alone would say 4 x 4; the feature map knows.
    expect(tokenGridOf([1, 17, 32], input(32, 32, [[2, 8]]))).toEqual({ extraTokens: 1, height: 2, width: 8 });
    expect(tokenGridOf([1, 16, 32], input(32, 32, [[2, 8]]))).toEqual({ extraTokens: 0, height: 2, width: 8 });
  });

  it('not token grids: per-head and windowed tensors (batch is not 1), sequence-first, one channel, no grid', () => {
    expect(tokenGridOf([2, 17, 16], input(32, 32, [[4, 4]]))).toBeUndefined();
    expect(tokenGridOf([17, 1, 32], input(32, 32, [[4, 4]]))).toBeUndefined();
    expect(tokenGridOf([1, 17, 1], input(32, 32, [[4, 4]]))).toBeUndefined();
    expect(tokenGridOf([1, 32, 16], input(32, 32, [[4, 4]]))).toBeUndefined();
    expect(tokenGridOf([1, 17, 32, 1], input(32, 32, [[4, 4]]))).toBeUndefined();
    // 10 tokens would be 6 "extra" + 2 x 2: more padding than patches is not a grid.
    expect(tokenGridOf([1, 10, 32], input(32, 32))).toBeUndefined();
  });

  it('a feature map flattened channels first ([1, C, H·W], before the transpose to tokens) is not C tokens, though C would fit a grid', () => {
    // Swin-like patch embedding: Conv [1, 16, 8, 8] -> flatten(2) [1, 16, 64] -> transpose [1, 64, 16].
    expect(tokenGridOf([1, 16, 64], input(32, 32, [[8, 8, 16]]))).toBeUndefined();
    expect(tokenGridOf([1, 64, 16], input(32, 32, [[8, 8, 16]]))).toEqual({ extraTokens: 0, height: 8, width: 8 });
    // Without the channel count the same shape reads as a 4 x 4 grid: the evidence is what tells them apart.
    expect(tokenGridOf([1, 16, 64], input(32, 32, [[8, 8]]))).toEqual({ extraTokens: 0, height: 4, width: 4 });
  });
});
