import { describe, expect, it } from 'vitest';
import { AuditBatchSize, batchWorkMs, maxAuditBatch } from '../../../../src/main/engine/project/audit-batch-size';

describe('AuditBatchSize', () => {
  it('starts with one image, then holds about a batch of work: many cheap images, one expensive image', () => {
    const cheap = new AuditBatchSize();
    expect(cheap.next()).toBe(1);
    cheap.record(1, batchWorkMs / 20);
    expect(cheap.next()).toBe(maxAuditBatch);
    const middling = new AuditBatchSize();
    middling.record(2, batchWorkMs / 2);
    expect(middling.next()).toBe(4);
    const expensive = new AuditBatchSize();
    expensive.record(1, 5 * batchWorkMs);
    expect(expensive.next()).toBe(1);
  });

  it('follows a change of load: the latest batch weighs half', () => {
    const size = new AuditBatchSize();
    size.record(1, batchWorkMs / 8);
    expect(size.next()).toBe(8);
    size.record(8, 8 * batchWorkMs);
    // (125 + 1000) / 2 ms per image: no more than one image per batch.
    expect(size.next()).toBe(1);
    // (562.5 + 10) / 2 = 286.25 ms per image: three images make a batch.
    size.record(1, batchWorkMs / 100);
    expect(size.next()).toBe(3);
  });

  it('a size the caller fixes is kept whatever the timings, and never below one', () => {
    const fixed = new AuditBatchSize(5);
    fixed.record(1, 100 * batchWorkMs);
    expect(fixed.next()).toBe(5);
    expect(new AuditBatchSize(0).next()).toBe(1);
    const ignored = new AuditBatchSize();
    ignored.record(0, 1);
    expect(ignored.next()).toBe(1);
  });
});
