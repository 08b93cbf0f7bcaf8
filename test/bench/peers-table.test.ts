import { describe, expect, it } from 'vitest';
import { formatTable, goalRatio, median, parseSelection, peerRow } from '../../bench/peers-table';
import { benchImage, casesFor, peerCases } from '../../bench/peer-cases';
import { methodIds } from '../../src/shared/methods/catalogue';

describe('parseSelection', () => {
  it('runs every model, both batches, 3 repeats and ResNet-18 memory by default', () => {
    expect(parseSelection([], {})).toEqual({ models: ['resnet18', 'densenet121', 'vit_b_16'], methods: null, batches: [1, 32], repeat: 3, memory: 'resnet18' });
  });

  it('reads the environment, and the command line over it', () => {
    const env = { LUMEN_BENCH_MODELS: 'vit_b_16', LUMEN_BENCH_METHODS: 'gradient, grad-cam', LUMEN_BENCH_BATCHES: '1', LUMEN_BENCH_REPEAT: '5', LUMEN_BENCH_MEMORY: 'none' };
    expect(parseSelection([], env)).toEqual({ models: ['vit_b_16'], methods: ['gradient', 'grad-cam'], batches: [1], repeat: 5, memory: null });
    expect(parseSelection(['--models=resnet18,densenet121', '--batches=32', '--repeat=2', '--memory=densenet121'], env)).toEqual({
      models: ['resnet18', 'densenet121'],
      methods: ['gradient', 'grad-cam'],
      batches: [32],
      repeat: 2,
      memory: 'densenet121',
    });
  });

  it('refuses unknown models, odd batches and repeats', () => {
    expect(() => parseSelection(['--models=alexnet'], {})).toThrow(/alexnet.*resnet18/);
    expect(() => parseSelection(['--batches=0'], {})).toThrow(/Batch "0"/);
    expect(() => parseSelection(['--batches=1.5'], {})).toThrow(/Batch "1.5"/);
    expect(() => parseSelection(['--repeat=two'], {})).toThrow(/Repeat "two"/);
    expect(() => parseSelection(['--memory=vgg'], {})).toThrow(/memory model "vgg"/);
  });
});

describe('median and rows', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
    expect(() => median([])).toThrow();
  });

  it('gives the ratio of medians and whether it meets 0.7x', () => {
    const base = { method: 'gradient', model: 'resnet18', batch: 1, lumenPath: 'attribute request' };
    const fast = peerRow(base, [30, 20, 40], [100, 50, 60]);
    expect([fast.lumenRunsMs, fast.torchRunsMs]).toEqual([[30, 20, 40], [100, 50, 60]]);
    expect(fast).toMatchObject({ lumenMs: 30, torchMs: 60, ratio: 0.5, meetsGoal: true, runs: 3 });
    const slow = peerRow(base, [80], [100]);
    expect(slow.ratio).toBeCloseTo(0.8);
    expect(slow.meetsGoal).toBe(false);
    expect(peerRow(base, [70], [100]).meetsGoal).toBe(goalRatio === 0.7);
    const failed = peerRow(base, [10], [], 'no peer for method x');
    expect(failed).toMatchObject({ lumenMs: 10, torchMs: null, ratio: null, meetsGoal: null, runs: 0, error: 'no peer for method x' });
  });

  it('prints one aligned line per row with the verdict or the error', () => {
    const base = { model: 'resnet18', batch: 32, lumenPath: 'engine batch path (attributeInputs)' };
    const table = formatTable([peerRow({ ...base, method: 'gradient' }, [12.34], [40]), peerRow({ ...base, method: 'rise' }, [], [], 'it broke')]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines[2]).toMatch(/\| gradient +\| resnet18 \| 32 +\| 12\.3 +\| 40\.0 +\| 0\.31 +\| yes +\| engine batch path/);
    expect(lines[3]).toMatch(/\| rise .*\| - .*\| error: it broke/);
  });
});

describe('peer cases', () => {
  it('name only methods Lumen offers, attention rollout on the transformer only, LRP on the CNNs only', () => {
    for (const c of peerCases) expect(methodIds).toContain(c.method);
    expect(casesFor('resnet18', null).map((c) => c.method)).not.toContain('attention-rollout');
    expect(casesFor('vit_b_16', null).map((c) => c.method)).toContain('attention-rollout');
    expect(casesFor('vit_b_16', null).map((c) => c.method)).not.toContain('lrp-epsilon');
    expect(casesFor('densenet121', null).map((c) => c.method)).toContain('lrp-epsilon');
    expect(casesFor('densenet121', ['grad-cam', 'nothing']).map((c) => c.method)).toEqual(['grad-cam']);
  });

  it('make the same images as bench/peer_methods.py', () => {
    const image = benchImage(2);
    expect(image).toHaveLength(3 * 224 * 224);
    // ((i 7919 + b 104729) mod 1000) / 1000 at i = 0, 1, 1000 for b = 2.
    expect(image[0]).toBeCloseTo(0.458, 6);
    expect(image[1]).toBeCloseTo(0.377, 6);
    expect(image[1000]).toBeCloseTo(0.458, 6);
    expect(benchImage(0)[1]).toBeCloseTo(0.919, 6);
  });
});
