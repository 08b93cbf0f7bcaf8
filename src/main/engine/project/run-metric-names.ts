/**
 * Part of migration 7: the metric names each run stored, kept by triggers, so that a page of the
 * dataset browser knows a run's metric columns without reading every result's JSON (0.16 s at
 * 100,000 results; a cache keyed by the results' count and last id was fooled when SQLite reused
 * the id of a deleted last result).
 *
 * `run_metric_names` counts, per run and name, the keys of the results' metrics as the browser's
 * columns always read them: every key of `json_each` over metrics that are valid JSON (a key with a
 * null value or a double quote still makes a column; an array's indexes are names too, as text). A
 * name whose count falls to zero goes.
 *
 * This text is part of a released migration: never change it, add a migration.
 */

/** The keys (`j.key`) of a result's metrics, as a FROM clause. */
const keysOf = (metrics: string): string => `json_each(CASE WHEN json_valid(${metrics}) THEN ${metrics} ELSE '{}' END) j`;

const addNew = `INSERT INTO run_metric_names (run_id, name, results)
    SELECT NEW.run_id, CAST(j.key AS TEXT), 1 FROM ${keysOf('NEW.metrics')} WHERE true
    ON CONFLICT (run_id, name) DO UPDATE SET results = results + 1;`;

const removeOld = `UPDATE run_metric_names SET results = results - (SELECT count(*) FROM ${keysOf('OLD.metrics')} WHERE CAST(j.key AS TEXT) = run_metric_names.name)
    WHERE run_id = OLD.run_id AND name IN (SELECT CAST(j.key AS TEXT) FROM ${keysOf('OLD.metrics')});
    DELETE FROM run_metric_names WHERE run_id = OLD.run_id AND results <= 0;`;

export const runMetricNamesMigration = `
  CREATE TABLE run_metric_names (
    run_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    results INTEGER NOT NULL,
    PRIMARY KEY (run_id, name)
  ) WITHOUT ROWID;
  INSERT INTO run_metric_names (run_id, name, results)
    SELECT r.run_id, CAST(j.key AS TEXT), count(*) FROM results r, ${keysOf('r.metrics')} GROUP BY r.run_id, CAST(j.key AS TEXT);
  CREATE TRIGGER run_metric_names_insert AFTER INSERT ON results BEGIN
    ${addNew}
  END;
  CREATE TRIGGER run_metric_names_delete AFTER DELETE ON results BEGIN
    ${removeOld}
  END;
  CREATE TRIGGER run_metric_names_update AFTER UPDATE OF run_id, metrics ON results BEGIN
    ${removeOld}
    ${addNew}
  END;
`;
