import { resultMetricOrderMigration } from './result-metric-order';
import { resultOrderMigration } from './result-order';
import { runMetricNamesMigration } from './run-metric-names';

/**
 * The project database's schema, as numbered migrations. `PRAGMA user_version` holds the number of
 * migrations applied; opening a project applies the missing ones in one transaction. Never edit a
 * released migration: add a new one.
 */
export const migrations: string[] = [
  `
  CREATE TABLE datasets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    root TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE images (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    sha256 TEXT,
    bytes INTEGER,
    width INTEGER,
    height INTEGER,
    label TEXT,
    split TEXT,
    UNIQUE (dataset_id, path)
  );
  CREATE INDEX images_label ON images(dataset_id, label);
  CREATE TABLE annotations (
    id INTEGER PRIMARY KEY,
    image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('box', 'mask', 'region')),
    label TEXT NOT NULL DEFAULT '',
    x0 REAL, y0 REAL, x1 REAL, y1 REAL,
    mask_path TEXT,
    source TEXT NOT NULL,
    -- What makes an annotation the same on re-import (SQLite's UNIQUE treats NULLs as distinct).
    identity TEXT NOT NULL,
    UNIQUE (image_id, identity)
  );
  CREATE TABLE models (
    id INTEGER PRIMARY KEY,
    file TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    card TEXT NOT NULL
  );
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    model_id INTEGER NOT NULL REFERENCES models(id),
    method TEXT NOT NULL,
    params TEXT NOT NULL,
    seed INTEGER,
    lumen_version TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE results (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    target INTEGER NOT NULL,
    score REAL,
    map_artifact TEXT,
    metrics TEXT NOT NULL DEFAULT '{}',
    UNIQUE (run_id, image_id)
  );
  CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    run_id INTEGER REFERENCES runs(id) ON DELETE CASCADE,
    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'paused', 'done', 'failed', 'cancelled')),
    done INTEGER NOT NULL DEFAULT 0,
    total INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  `,
  // 2: the users' own annotations (boxes, arrows, outlines, text notes) drawn in the inspector.
  // Not the imported ground truth of `annotations` (metrics read that): a user's drawing must never
  // become a box the pointing game scores against. The shape is JSON in image pixels, checked on read.
  `
  CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    shape TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    color TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX notes_image ON notes(image_id);
  `,
  // 3: what a DICOM image says about itself, one row per image imported from a DICOM file: the
  // instance, study and series it belongs to (what the dataset browser groups and filters by, and
  // what a label CSV keyed by SOP Instance UID matches), and its number of frames (the image row is
  // the file; Lumen reads its first frame). `patient_id` is kept only to group studies by patient:
  // it identifies a person, so nothing shows or exports it unless the user opts in.
  `
  CREATE TABLE dicom_instances (
    image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
    sop_instance_uid TEXT,
    sop_class_uid TEXT,
    patient_id TEXT,
    study_instance_uid TEXT,
    study_description TEXT,
    series_instance_uid TEXT,
    series_description TEXT,
    series_number INTEGER,
    instance_number INTEGER,
    modality TEXT,
    frames INTEGER NOT NULL DEFAULT 1
  );
  CREATE INDEX dicom_instances_series ON dicom_instances(study_instance_uid, series_instance_uid);
  CREATE INDEX dicom_instances_sop ON dicom_instances(sop_instance_uid);
  `,
  // 4: explanations computed in the inspector for project images, so that reopening the image (also
  // after a restart) brings them back. One row per image, frame and identity (method, target and
  // parameters as asked): computing it again replaces it. The map is the engine's full attribution
  // as little-endian float32 (`dims` JSON); XRAI's ranks and LIME/SHAP's segment labels as int32;
  // `details` the rest of the engine's answer (resolved parameters, timings, provider) as JSON.
  // What made it (model sha256 and file, Lumen version) says when it is stale.
  `
  CREATE TABLE explanations (
    id INTEGER PRIMARY KEY,
    image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    frame INTEGER NOT NULL DEFAULT 0,
    identity TEXT NOT NULL,
    method TEXT NOT NULL,
    params TEXT NOT NULL,
    target INTEGER NOT NULL,
    target_label TEXT NOT NULL,
    kind TEXT NOT NULL,
    dims TEXT NOT NULL,
    map BLOB NOT NULL,
    figures TEXT NOT NULL DEFAULT '{}',
    notes TEXT NOT NULL DEFAULT '[]',
    details TEXT,
    regions TEXT,
    region_ranks BLOB,
    segment_values TEXT,
    segment_labels BLOB,
    model_sha256 TEXT NOT NULL,
    model_file TEXT NOT NULL,
    lumen_version TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (image_id, frame, identity)
  );
  `,
  // 5: the dataset browser's sorts walk an index instead of sorting the whole dataset, so that any
  // page of a 100,000-image dataset comes back in milliseconds: by label (either way: a descending
  // index keeps ties in path order), and by a run's confidence and predicted class.
  `
  CREATE INDEX images_label_order ON images(dataset_id, label COLLATE NOCASE, path);
  CREATE INDEX images_label_order_desc ON images(dataset_id, label COLLATE NOCASE DESC, path);
  CREATE INDEX results_run_score ON results(run_id, score);
  CREATE INDEX results_run_target ON results(run_id, target);
  `,
  // 6: the sort by a run's metric walks an index too: each result's metric values in a table of
  // their own, kept by triggers (result-metric-order.ts).
  resultMetricOrderMigration,
  // 7: the sorts by predicted label and by confidence walk an index in the browser's order too (a
  // class of 50,000 images was sorted by path for each page): each result's class and score next to
  // its image's path (result-order.ts); and each run's metric names, which a page reads instead of
  // every result's JSON (run-metric-names.ts). Both kept by triggers.
  resultOrderMigration + runMetricNamesMigration,
];
