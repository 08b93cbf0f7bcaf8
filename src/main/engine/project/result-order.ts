/**
 * Migration 7: each result's predicted class and confidence next to its image's path, so that the
 * dataset browser's sorts by predicted label and by confidence walk an index in the browser's order
 * (class or score, ties by path) instead of sorting a class's or a score's results by path.
 *
 * Migration 5's indexes on `results` (run, target) and (run, score) find a class's results, but not
 * in path order: a page of a class of 50,000 images sorted those 50,000 (about 100 ms). Here
 * `result_order` holds one row per result, keyed (image, run) so that a result's row and an image's
 * rows are each one look-up, with an index per sort that ends in (path, image): a page is a walk.
 * Triggers keep it equal to `results` joined with `images` whatever writes them (an audit, a merge
 * of shards, a deletion that cascades from a run, an image or a dataset, a renamed path), so no
 * writer has to know about it.
 *
 * This text is part of a released migration: never change it, add a migration.
 */

const columns = '(image_id, run_id, target, score, path)';

/** The row of a result (NEW), with its image's path; none where the image is not there. */
const insertOfNewResult = `INSERT OR REPLACE INTO result_order ${columns}
    SELECT NEW.image_id, NEW.run_id, NEW.target, NEW.score, i.path FROM images i WHERE i.id = NEW.image_id;`;
const deleteOfOldResult = 'DELETE FROM result_order WHERE image_id = OLD.image_id AND run_id = OLD.run_id;';

export const resultOrderMigration = `
  CREATE TABLE result_order (
    image_id INTEGER NOT NULL,
    run_id INTEGER NOT NULL,
    target INTEGER NOT NULL,
    score REAL,
    path TEXT NOT NULL,
    PRIMARY KEY (image_id, run_id)
  ) WITHOUT ROWID;
  INSERT INTO result_order ${columns}
    SELECT r.image_id, r.run_id, r.target, r.score, i.path FROM results r JOIN images i ON i.id = r.image_id;
  CREATE INDEX result_order_target ON result_order(run_id, target, path, image_id);
  CREATE INDEX result_order_score ON result_order(run_id, score, path, image_id);
  CREATE TRIGGER result_order_insert AFTER INSERT ON results BEGIN
    ${insertOfNewResult}
  END;
  -- A deletion that cascades from a run, an image or a dataset deletes the results one by one: this
  -- trigger runs for each of them (SQLite fires triggers for foreign-key actions).
  CREATE TRIGGER result_order_delete AFTER DELETE ON results BEGIN
    ${deleteOfOldResult}
  END;
  CREATE TRIGGER result_order_update AFTER UPDATE OF run_id, image_id, target, score ON results BEGIN
    ${deleteOfOldResult}
    ${insertOfNewResult}
  END;
  CREATE TRIGGER result_order_image_path AFTER UPDATE OF path ON images WHEN OLD.path IS NOT NEW.path BEGIN
    UPDATE result_order SET path = NEW.path WHERE image_id = NEW.id;
  END;
`;
