import { join } from 'node:path';
import Database from 'libsql';
import { describe, expect, it } from 'vitest';
import { DatasetImagesParams } from '../../../../src/shared/contract/project';
import { dataVersionCache, keptUntilChange } from '../../../../src/main/engine/project/data-version-cache';
import { datasetImages } from '../../../../src/main/engine/project/dataset-images';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { tempDir } from '../../../helpers/tiny-models';

describe('figures kept until the data changes', () => {
  it('are computed once while nothing changes, and again after a change on this connection or another', () => {
    const store = ProjectStore.open(join(tempDir(), 'kept'), { create: true });
    try {
      let computed = 0;
      const count = () =>
        keptUntilChange(store, 'datasets', () => {
          computed++;
          return Number((store.db.prepare('SELECT count(*) AS n FROM datasets').get() as { n: number }).n);
        });
      expect([count(), count(), count()]).toEqual([0, 0, 0]);
      expect(computed).toBe(1);
      store.db.prepare("INSERT INTO datasets (name, root, created_at) VALUES ('a', '/a', 'now')").run();
      expect(count()).toBe(1);
      expect(computed).toBe(2);
      const other = new Database(join(store.folder, 'project.db'));
      try {
        other.prepare("INSERT INTO datasets (name, root, created_at) VALUES ('b', '/b', 'now')").run();
      } finally {
        other.close();
      }
      expect(count()).toBe(2);
      expect(count()).toBe(2);
      expect(computed).toBe(3);
    } finally {
      store.close();
    }
  });

  it('keep a bounded number of values per connection, the oldest going first', () => {
    const store = ProjectStore.open(join(tempDir(), 'bounded'), { create: true });
    try {
      const cache = dataVersionCache(store);
      for (let k = 0; k < 100; k++) cache.set(`k${k}`, k);
      const now = dataVersionCache(store);
      expect(now.get('k0')).toBeUndefined();
      expect(now.get('k99')).toBe(99);
      expect(now.get('k68')).toBe(68);
      expect(now.get('k67')).toBeUndefined();
    } finally {
      store.close();
    }
  });

  it('the dataset browser sees images another connection added (its kept count is forgotten)', () => {
    const store = ProjectStore.open(join(tempDir(), 'browser'), { create: true });
    try {
      store.db.prepare("INSERT INTO datasets (name, root, created_at) VALUES ('d', '/x', 'now')").run();
      const image = store.db.prepare("INSERT INTO images (dataset_id, path, width, height, label) VALUES (1, ?, 4, 4, 'a')");
      for (let k = 0; k < 5; k++) image.run(`img/${k}.png`);
      const page = (sort: string) => datasetImages(store, DatasetImagesParams.parse({ project: store.folder, dataset: 'd', sort, limit: 50 }));
      expect(page('label').total).toBe(5);
      const other = new Database(join(store.folder, 'project.db'));
      try {
        other.prepare("INSERT INTO images (dataset_id, path, width, height, label) VALUES (1, 'img/9.png', 4, 4, NULL)").run();
      } finally {
        other.close();
      }
      const after = page('label');
      expect(after.total).toBe(6);
      expect(after.rows.map((r) => r.path)).toEqual(['img/0.png', 'img/1.png', 'img/2.png', 'img/3.png', 'img/4.png', 'img/9.png']);
    } finally {
      store.close();
    }
  });
});
