import { resolve, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFolder } from '../../../../src/main/engine/project/dataset-import';
import {
  deleteExplanation,
  explanationIdentity,
  listExplanations,
  maxStoredExplanationBytes,
  saveExplanation,
  withStaleness,
  type SaveParams,
} from '../../../../src/main/engine/project/explanations';
import { databaseAtSchema } from '../../../helpers/project-schema';
import { migrations } from '../../../../src/main/engine/project/migrations';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { tempDir } from '../../../helpers/tiny-models';

const modelA = { sha256: 'a'.repeat(64), fileName: 'mobilenet.onnx' };

/** An explanation as the inspector would store it: a 2x3 map with a figure, XRAI-like ranks. */
function explanation(project: string, overrides: Partial<SaveParams> = {}): SaveParams {
  return {
    project,
    dataset: 'samples',
    path: 'coffee.png',
    frame: 0,
    method: 'integrated-gradients',
    params: { steps: 32, baseline: 'black' },
    target: 504,
    targetLabel: 'coffee mug',
    kind: 'pixel',
    dims: [1, 2, 3],
    data: new Float32Array([0.5, -1.25, 3e-8, 1e30, -0, 7]),
    figures: { completenessError: 0.013 },
    notes: ['a note'],
    regions: { ranks: new Int32Array([1, 1, 2, 2, 3, 3]), list: [{ rank: 1, gain: 0.5, area: 2, cumulativeArea: 0.33 }] },
    model: modelA,
    details: {
      objective: 'logit',
      params: { steps: 32, baseline: 'black', batch: 8 },
      timings: { computeMs: 812, computeRunsMs: [812], compileMs: 30, preprocessMs: 4 },
      executionProvider: { requested: 'auto', used: 'cpu' },
      graphSource: ['compiled'],
      graphRuns: 4,
    },
    ...overrides,
  };
}

async function sampleProject(): Promise<string> {
  const project = join(tempDir(), 'study');
  const store = ProjectStore.open(project, { create: true });
  await importFolder(store, 'samples', 'resources/samples');
  store.close();
  return project;
}

describe('explanations stored in the project', () => {
  it('round trip through the SQLite file: the map bit for bit, its dims, what made it', async () => {
    const project = await sampleProject();
    const input = explanation(project);
    let store = ProjectStore.open(project);
    const saved = saveExplanation(store, input, '0.1.0', new Date('2026-01-02T03:04:05Z'));
    store.close();
    expect(saved.id).toBeGreaterThan(0);
    // A fresh open (what a restart does) reads it back from the file.
    store = ProjectStore.open(project);
    const [read, ...rest] = listExplanations(store, { dataset: 'samples', path: 'coffee.png', frame: 0 });
    store.close();
    expect(rest).toEqual([]);
    expect(read).toMatchObject({
      id: saved.id,
      method: 'integrated-gradients',
      params: { steps: 32, baseline: 'black' },
      target: 504,
      targetLabel: 'coffee mug',
      kind: 'pixel',
      dims: [1, 2, 3],
      figures: { completenessError: 0.013 },
      notes: ['a note'],
      model: modelA,
      lumenVersion: '0.1.0',
      createdAt: '2026-01-02T03:04:05.000Z',
      details: input.details,
    });
    expect(new Uint8Array(read!.data.buffer, read!.data.byteOffset, read!.data.byteLength)).toEqual(new Uint8Array(input.data.buffer));
    expect(Object.is(read!.data[4], -0)).toBe(true);
    expect(Array.from(read!.regions!.ranks)).toEqual([1, 1, 2, 2, 3, 3]);
    expect(read!.regions!.list).toEqual(input.regions!.list);
    expect(read!.segments).toBeUndefined();
  });

  it('one row per image, frame and identity: saving again replaces; other frames, targets and params are their own', async () => {
    const project = await sampleProject();
    const store = ProjectStore.open(project);
    try {
      const first = saveExplanation(store, explanation(project), '0.1.0');
      // The same parameters in another key order are the same explanation.
      const again = saveExplanation(store, explanation(project, { params: { baseline: 'black', steps: 32 }, data: new Float32Array(6).fill(2), model: { sha256: 'b'.repeat(64), fileName: 'other.onnx' } }), '0.1.0');
      expect(again.id).toBe(first.id);
      saveExplanation(store, explanation(project, { frame: 1 }), '0.1.0');
      saveExplanation(store, explanation(project, { target: 1 }), '0.1.0');
      saveExplanation(store, explanation(project, { params: { steps: 64, baseline: 'black' } }), '0.1.0');
      saveExplanation(store, explanation(project, { path: 'rocket.jpg' }), '0.1.0');
      const frame0 = listExplanations(store, { dataset: 'samples', path: 'coffee.png', frame: 0 });
      expect(frame0.map((e) => [e.target, e.params['steps']])).toEqual([
        [504, 32],
        [1, 32],
        [504, 64],
      ]);
      expect(Array.from(frame0[0]!.data)).toEqual([2, 2, 2, 2, 2, 2]);
      expect(frame0[0]!.model.fileName).toBe('other.onnx');
      expect(listExplanations(store, { dataset: 'samples', path: 'coffee.png', frame: 1 })).toHaveLength(1);
      expect(listExplanations(store, { dataset: 'samples', path: 'rocket.jpg', frame: 0 })).toHaveLength(1);

      expect(deleteExplanation(store, { project, dataset: 'samples', path: 'coffee.png', frame: 0, method: 'integrated-gradients', target: 1, params: { baseline: 'black', steps: 32 } })).toEqual({ deleted: true });
      expect(deleteExplanation(store, { project, dataset: 'samples', path: 'coffee.png', frame: 0, method: 'integrated-gradients', target: 1, params: { baseline: 'black', steps: 32 } })).toEqual({ deleted: false });
      expect(listExplanations(store, { dataset: 'samples', path: 'coffee.png', frame: 0 })).toHaveLength(2);
      // Deleting the image from the project takes its explanations (all frames); the rocket's stays.
      store.db.prepare("DELETE FROM images WHERE path = 'coffee.png'").run();
      expect(store.db.prepare('SELECT count(*) AS n FROM explanations').get()).toMatchObject({ n: 1 });
    } finally {
      store.close();
    }
  });

  it('refuses a map whose values do not fill its dims, and skips storing one too large with a notice', async () => {
    const project = await sampleProject();
    const store = ProjectStore.open(project);
    try {
      expect(() => saveExplanation(store, explanation(project, { dims: [1, 2, 4] }), '0.1.0')).toThrow(/6 values but its dims 1x2x4 make 8/);
      const side = Math.ceil(Math.sqrt(maxStoredExplanationBytes / 4)) + 1;
      const big = saveExplanation(store, explanation(project, { dims: [side, side], data: new Float32Array(side * side), regions: undefined }), '0.1.0');
      expect(big.id).toBeNull();
      expect(big.notice).toMatch(/larger than a project stores \(32 MB\).*this session only/);
      expect(listExplanations(store, { dataset: 'samples', path: 'coffee.png', frame: 0 })).toEqual([]);
      expect(() => saveExplanation(store, explanation(project, { path: 'nothing.png' }), '0.1.0')).toThrow(/no image "nothing.png"/);
    } finally {
      store.close();
    }
  });

  it('a damaged row is skipped and reported, the others still listed', async () => {
    const project = await sampleProject();
    const store = ProjectStore.open(project);
    try {
      saveExplanation(store, explanation(project), '0.1.0');
      const bad = saveExplanation(store, explanation(project, { target: 2 }), '0.1.0');
      store.db.prepare("UPDATE explanations SET dims = '[1, 2, 9]' WHERE id = ?").run(bad.id);
      const damaged: number[] = [];
      const list = listExplanations(store, { dataset: 'samples', path: 'coffee.png', frame: 0 }, (id) => damaged.push(id));
      expect(list.map((e) => e.target)).toEqual([504]);
      expect(damaged).toEqual([bad.id]);
    } finally {
      store.close();
    }
  });

  it('a project of the previous schema (3) is migrated, its images kept, and then stores explanations', () => {
    const dir = tempDir();
    const db = databaseAtSchema(join(dir, 'project.db'), 3);
    db.prepare("INSERT INTO datasets (name, root, created_at) VALUES ('samples', ?, 'now')").run(resolve('resources/samples'));
    db.prepare("INSERT INTO images (dataset_id, path, width, height) VALUES (1, 'coffee.png', 4, 3)").run();
    db.close();
    const store = ProjectStore.open(dir);
    try {
      expect(store.schemaVersion).toBe(migrations.length);
      expect(migrations.length).toBeGreaterThanOrEqual(4);
      const saved = saveExplanation(store, explanation(dir), '0.1.0');
      expect(listExplanations(store, { dataset: 'samples', path: 'coffee.png', frame: 0 }).map((e) => e.id)).toEqual([saved.id]);
    } finally {
      store.close();
    }
  });
});

describe('staleness of stored explanations', () => {
  const stored = { model: modelA, lumenVersion: '0.1.0', method: 'integrated-gradients', params: { steps: 32 } };
  const accepts = (): undefined => undefined;

  it('current: same model sha (whatever its file is called now), same Lumen, parameters accepted', () => {
    const [e] = withStaleness([{ ...stored } as never], { modelSha256: modelA.sha256, lumenVersion: '0.1.0' }, accepts);
    expect(e!.stale).toBeNull();
  });

  it('another model: says which, by file name and short sha', () => {
    const [e] = withStaleness([{ ...stored } as never], { modelSha256: 'c'.repeat(64), lumenVersion: '0.1.0' }, accepts);
    expect(e!.stale).toBe(`Made with another model, mobilenet.onnx (sha ${'a'.repeat(12)}): recompute it with this one.`);
  });

  it('another Lumen version', () => {
    const [e] = withStaleness([{ ...stored } as never], { modelSha256: modelA.sha256, lumenVersion: '0.2.0' }, accepts);
    expect(e!.stale).toBe('Made by Lumen 0.1.0 (this is 0.2.0): recompute it.');
  });

  it('parameters the method no longer accepts are stale; the method being asked is given the stored params', () => {
    const seen: unknown[] = [];
    const [e] = withStaleness([{ ...stored } as never], { modelSha256: modelA.sha256, lumenVersion: '0.1.0' }, (method, params) => {
      seen.push([method, params]);
      return 'steps: must be at most 16';
    });
    expect(seen).toEqual([['integrated-gradients', { steps: 32 }]]);
    expect(e!.stale).toBe('Its parameters no longer fit the method (steps: must be at most 16): recompute it.');
  });

  it('identity ignores key order and undefined values, not values', () => {
    expect(explanationIdentity('m', 1, { a: 1, b: { y: 2, x: [1, { q: 1, p: 2 }] } })).toBe(explanationIdentity('m', 1, { b: { x: [1, { p: 2, q: 1 }], y: 2 }, a: 1, c: undefined }));
    expect(explanationIdentity('m', 1, { a: 1 })).not.toBe(explanationIdentity('m', 1, { a: 2 }));
    expect(explanationIdentity('m', 1, { a: 1 })).not.toBe(explanationIdentity('m', 2, { a: 1 }));
  });
});
