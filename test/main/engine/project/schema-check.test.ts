import { join } from 'node:path';
import Database from 'libsql';
import { describe, expect, it } from 'vitest';
import { LumenError } from '../../../../src/shared/errors';
import { ProjectStore } from '../../../../src/main/engine/project/project-store';
import { tempDir } from '../../../helpers/tiny-models';

/** A closed, current project whose database then gets `change` (valid SQL: SQLite's integrity check still passes). */
function projectWith(change: string): { folder: string; path: string } {
  const folder = join(tempDir('lumen-schema-'), 'study');
  ProjectStore.open(folder, { create: true }).close();
  const path = join(folder, 'project.db');
  const db = new Database(path);
  db.exec(change);
  db.close();
  return { folder, path };
}

function openError(folder: string): LumenError {
  try {
    ProjectStore.open(folder).close();
  } catch (error) {
    expect(error).toBeInstanceOf(LumenError);
    return error as LumenError;
  }
  throw new Error('the project opened');
}

describe('the schema of a project database is checked at open', () => {
  it('a current, untouched project opens', () => {
    const { folder } = projectWith('SELECT 1');
    ProjectStore.open(folder).close();
  });

  it('a column under another name is a damaged project that names the table and both columns', () => {
    const { folder, path } = projectWith('ALTER TABLE notes RENAME COLUMN color TO colour');
    const error = openError(folder);
    expect(error.code).toBe('damaged-project');
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/the table notes lacks color and has unknown "colour"/);
    expect(error.message).not.toMatch(/\n/);
  });

  it('a missing table is a damaged project', () => {
    const { folder } = projectWith('DROP TABLE notes');
    const error = openError(folder);
    expect(error.code).toBe('damaged-project');
    expect(error.message).toMatch(/the table notes is missing/);
  });

  it('a table of its own (not one the migrations make) is left alone', () => {
    const { folder } = projectWith('CREATE TABLE mine (x INTEGER)');
    ProjectStore.open(folder).close();
  });
});
