/**
 * Migration 6: the metric values of a run's results in an index of their own, so that the dataset
 * browser's sort by a metric (an audit's deletion AUC, say) walks an index instead of extracting
 * and sorting the metric of every result.
 *
 * A metric's values live inside each result's `metrics` JSON, whose keys differ from run to run:
 * no index on `results` can order them. `result_metric_order` holds one row per result and metric
 * with a value, keyed (run, metric, value, path, image): a page in the browser's order (value, ties
 * by path) is a walk of its primary key. The path is copied in so that ties (a pointing game's 0 and
 * 1, say) need no sort either. Triggers keep it equal to `results` whatever writes them (an audit, a
 * merge of shards, a deletion that cascades from a run, an image or a dataset), so no writer has to
 * know about it.
 *
 * The value is exactly what the browser's general query sorts by: `json_extract(metrics, '$."NAME"')`,
 * taken from metrics that are a valid JSON object (anything else has no values), absent where that is
 * null, and never for a name with a double quote (which that path cannot name). This text is part of
 * a released migration: never change it, add a migration.
 */

/** The metrics of a result as a JSON object: invalid JSON, or JSON that is not an object, has none. */
const objectSql = (metrics: string): string => `CASE WHEN json_valid(${metrics}) THEN CASE WHEN json_type(${metrics}) = 'object' THEN ${metrics} ELSE '{}' END ELSE '{}' END`;

/** SQL for a metric's value in `metrics` (a result's column), `j.key` naming the metric. */
const valueSql = (metrics: string): string => `json_extract(${objectSql(metrics)}, '$."' || j.key || '"')`;

/** FROM and WHERE for the metric names (`j.key`) with values of the results `from` (condition `where`) gives. */
const namesSql = (metrics: string, from: string, where: string): string =>
  `FROM ${from}${from ? ', ' : ''}json_each(${objectSql(metrics)}) j WHERE ${where} AND instr(j.key, '"') = 0 AND ${valueSql(metrics)} IS NOT NULL`;

const key = '(run_id, name, value, path, image_id)';

/** Inserts the rows of a result (NEW) or, on an image's path change, of the image's results. */
const insertOfNewResult = `INSERT OR IGNORE INTO result_metric_order ${key}
    SELECT NEW.run_id, j.key, ${valueSql('NEW.metrics')}, i.path, NEW.image_id ${namesSql('NEW.metrics', 'images i', 'i.id = NEW.image_id')};`;
const insertOfImage = `INSERT OR IGNORE INTO result_metric_order ${key}
    SELECT r.run_id, j.key, ${valueSql('r.metrics')}, NEW.path, NEW.id ${namesSql('r.metrics', 'results r', 'r.image_id = NEW.id')};`;

/**
 * Deletes the rows of a result (OLD) or of an image's results. Each row is found by its whole key
 * (SQLite's plan is a search on all five columns): deleting a run of 100,000 results costs 100,000
 * look-ups, not a walk of the run's rows for each.
 */
const deleteOfOldResult = `DELETE FROM result_metric_order WHERE run_id = OLD.run_id AND image_id = OLD.image_id
    AND path = (SELECT path FROM images WHERE id = OLD.image_id)
    AND (name, value) IN (SELECT j.key, ${valueSql('OLD.metrics')} ${namesSql('OLD.metrics', '', '1')});`;
// Every row of the image is deleted: the run and the (name, value) pair each in the set its results
// give (a pair from another run's result matches no row, or one of the image's that goes anyway).
const deleteOfImage = `DELETE FROM result_metric_order WHERE image_id = OLD.id AND path = OLD.path
    AND run_id IN (SELECT run_id FROM results WHERE image_id = OLD.id)
    AND (name, value) IN (SELECT j.key, ${valueSql('r.metrics')} ${namesSql('r.metrics', 'results r', 'r.image_id = OLD.id')});`;

export const resultMetricOrderMigration = `
  CREATE TABLE result_metric_order (
    run_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    value NOT NULL,
    path TEXT NOT NULL,
    image_id INTEGER NOT NULL,
    PRIMARY KEY ${key}
  ) WITHOUT ROWID;
  -- OR IGNORE: a key that appears twice in one JSON object is one value (json_extract's).
  INSERT OR IGNORE INTO result_metric_order ${key}
    SELECT r.run_id, j.key, ${valueSql('r.metrics')}, i.path, r.image_id ${namesSql('r.metrics', 'results r JOIN images i ON i.id = r.image_id', '1')};
  CREATE TRIGGER result_metric_order_insert AFTER INSERT ON results BEGIN
    ${insertOfNewResult}
  END;
  CREATE TRIGGER result_metric_order_delete AFTER DELETE ON results BEGIN
    ${deleteOfOldResult}
  END;
  CREATE TRIGGER result_metric_order_update AFTER UPDATE OF run_id, image_id, metrics ON results BEGIN
    ${deleteOfOldResult}
    ${insertOfNewResult}
  END;
  -- A deletion that cascades from an image deletes its results after the image: their rows go
  -- before it, while the image's path is still there to find them.
  CREATE TRIGGER result_metric_order_image_delete BEFORE DELETE ON images BEGIN
    ${deleteOfImage}
  END;
  CREATE TRIGGER result_metric_order_image_path AFTER UPDATE OF path ON images WHEN OLD.path IS NOT NEW.path BEGIN
    ${deleteOfImage}
    ${insertOfImage}
  END;
`;

/** SQL for whether a result (`r`) has a value for the metric whose JSON path is the parameter: as the table has it. */
export const hasMetricValueSql = `json_extract(${objectSql('r.metrics')}, ?) IS NOT NULL`;
