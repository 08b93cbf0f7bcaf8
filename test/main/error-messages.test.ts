import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LumenApi } from '../../src/shared/contract/api';
import type { ErrorPayload } from '../../src/shared/errors';
import { encodeNpy } from '../../src/main/engine/io/npy';
import { ProjectStore } from '../../src/main/engine/project/project-store';
import { commands } from '../../src/main/cli/commands';
import { ensureBuilt, lumenCli } from '../helpers/built-app';
import { testApi } from '../helpers/engine';
import { failure } from '../helpers/failure';
import { tempDir } from '../helpers/tiny-models';

/**
 * Every error path issue 17 found unhelpful, walked again: each must now be one line that names
 * the file (or the flag) and says what to do, with a code that is not 'internal', and never
 * "This is a bug in Lumen" (reserved for real bugs).
 */

interface Expected {
  code: ErrorPayload['code'];
  /** The file, folder or flag the message must name. */
  names: string;
  /** What the user is told to do, in the hint (or the message). */
  remedy: RegExp;
}

function expectClear(error: ErrorPayload, { code, names, remedy }: Expected): void {
  const line = error.hint ? `${error.message} ${error.hint}` : error.message;
  expect(error.code).toBe(code);
  expect(line).not.toMatch(/\n/);
  expect(line).toContain(names);
  expect(line).toMatch(remedy);
  expect(line).not.toMatch(/This is a bug in Lumen|Unexpected error/);
}

/** A CLI failure: its exit code and exactly one line on stderr, `error: …`. */
function expectClearCli(r: { code: number | null; stdout: string; stderr: string }, exit: 1 | 2, { names, remedy }: Omit<Expected, 'code'>): void {
  expect(r.code, r.stderr).toBe(exit);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toContain(names);
  expect(lines[0]).toMatch(remedy);
  expect(lines[0]).not.toMatch(/This is a bug in Lumen|Unexpected error/);
}

const coffee = 'resources/samples/coffee.png';

/** A closed project with a dataset of two sample images (and so a map-free artifacts folder). */
function smallProject(): string {
  const dir = join(tempDir('lumen-err-'), 'study');
  const store = ProjectStore.open(dir, { create: true });
  store.db.prepare("INSERT INTO datasets (name, root, created_at) VALUES ('d', '/x', 'now')").run();
  store.db.exec('BEGIN');
  for (let i = 0; i < 300; i++) store.db.prepare('INSERT INTO images (dataset_id, path, width, height, label) VALUES (1, ?, 4, 3, ?)').run(`img-${i}.png`, `label ${i % 5} `.repeat(8));
  store.db.exec('COMMIT');
  mkdirSync(join(dir, 'artifacts', 'run-1'), { recursive: true });
  writeFileSync(join(dir, 'artifacts', 'run-1', '1.npy'), encodeNpy({ shape: [1], data: new Float32Array(1) }));
  store.close();
  return dir;
}

describe('errors that say what to do: the engine door', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  let dir: string;
  beforeAll(() => {
    ({ api, close } = testApi());
    dir = tempDir('lumen-err-');
  });
  afterAll(() => close());

  it.each([
    ['PNG', 'png'],
    ['JPEG', 'jpeg'],
  ] as const)('a truncated %s: damaged or truncated, copy it again', async (format, encoder) => {
    const whole = await sharp(coffee).toFormat(encoder).toBuffer();
    const path = join(dir, `half.${encoder}`);
    writeFileSync(path, whole.subarray(0, whole.length >> 1));
    const error = await failure(api.call('images.open', { source: 'file', path }));
    expectClear(error.toPayload(), { code: 'invalid-image', names: `half.${encoder}`, remedy: new RegExp(`${format} file is damaged or truncated.*again from its source`) });
  });

  it('a folder given as an image', async () => {
    const error = await failure(api.call('images.open', { source: 'file', path: dir }));
    expectClear(error.toPayload(), { code: 'invalid-argument', names: dir, remedy: /is a folder, not an image file\. Give the path of one image file inside it/ });
  });

  it('a zero-byte project.db beside the artifacts is damage, not a new project', async () => {
    const project = smallProject();
    writeFileSync(join(project, 'project.db'), '');
    const error = await failure(api.call('projects.open', { path: project }));
    expectClear(error.toPayload(), { code: 'damaged-project', names: join(project, 'project.db'), remedy: /did not create a new, empty one/ });
    expect(statSync(join(project, 'project.db')).size).toBe(0);
  });

  it('corrupt database pages: one line, a copy kept, the way out said', async () => {
    const project = smallProject();
    const path = join(project, 'project.db');
    const pageSize = 4096;
    const pages = statSync(path).size / pageSize;
    const fd = openSync(path, 'r+');
    for (const page of [pages - 2, pages - 1]) writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, page * pageSize);
    closeSync(fd);
    const error = await failure(api.call('projects.open', { path: project }));
    expectClear(error.toPayload(), { code: 'damaged-project', names: path, remedy: /Lumen did not modify it; a copy was saved as/ });
  });

  // Found by fuzzing: one flipped bit in the schema text kept in sqlite_master ("created_at" of
  // the runs table misspelt) passes SQLite's integrity check, and the first query that names the
  // column failed as "Unexpected error: no such column: r.created_at … This is a bug in Lumen"
  // until the project store checked every table's columns at open.
  it('a project.db whose schema text is damaged is a damaged project', async () => {
    const project = smallProject();
    const path = join(project, 'project.db');
    const bytes = readFileSync(path);
    // The schema text may sit in the file more than once (a page freed by a later migration keeps
    // an old copy): damage every copy, so the live one is damaged whichever it is.
    let copies = 0;
    for (let at = bytes.indexOf('CREATE TABLE runs'); at >= 0; at = bytes.indexOf('CREATE TABLE runs', at + 1)) {
      bytes[bytes.indexOf('created_at', at) + 1] = 'e'.charCodeAt(0); // "ceeated_at"
      copies += 1;
    }
    expect(copies).toBeGreaterThan(0);
    writeFileSync(path, bytes);
    const error = await failure(
      api.call('projects.open', { path: project }).then(() => api.call('datasets.images', { project, dataset: 'd' })),
    );
    expectClear(error.toPayload(), { code: 'damaged-project', names: path, remedy: /damaged/ });
  });

  it('a read-only project opens read-only, and a change says why it cannot be made', async (context) => {
    const project = smallProject();
    const view = tempDir('lumen-ro-');
    // Root ignores file permissions: a read-only bind mount is the read-only drive here.
    const bind = spawnSync('mount', ['--bind', project, view], { encoding: 'utf8' });
    if (bind.status !== 0) return context.skip(`a read-only bind mount is not permitted here (${(bind.stderr || bind.error?.message || '').trim()})`);
    try {
      const ro = spawnSync('mount', ['-o', 'remount,bind,ro', view], { encoding: 'utf8' });
      if (ro.status !== 0) return context.skip(`remounting read-only is not permitted here (${ro.stderr.trim()})`);
      const summary = await api.call('projects.open', { path: view });
      expect(summary).toMatchObject({ readOnly: true });
      const error = await failure(api.call('datasets.import', { project: view, dataset: 'more', folder: 'resources/samples' }));
      expectClear(error.toPayload(), { code: error.code, names: view, remedy: /read-only.*Copy the project folder/ });
      expect(error.code).not.toBe('internal');
    } finally {
      // Lazily: the engine may still hold the project's database open on the mount.
      spawnSync('umount', ['-l', view]);
    }
  });

  it('/etc/passwd given as a model card: refused without echoing a byte of it', async () => {
    const error = await failure(api.call('models.open', { cardPath: '/etc/passwd' }));
    expectClear(error.toPayload(), { code: 'invalid-card', names: 'passwd', remedy: /model card/ });
    const firstLine = readFileSync('/etc/passwd', 'utf8').split('\n')[0]!;
    const said = JSON.stringify(error.toPayload());
    for (const field of firstLine.split(':').filter((f) => f.length > 2)) expect(said).not.toContain(field);
  });
});

// Found while writing this walk: writing project.lock fails with ENOSPC and surfaces as
// "Unexpected error: ENOSPC … This is a bug in Lumen", leaving an empty project.lock (the project
// store's area), until the store freed the lock and said the disk is full.

describe('errors that say what to do: a full disk', () => {
  let api: LumenApi;
  let close: () => Promise<void>;
  beforeAll(() => {
    ({ api, close } = testApi());
  });
  afterAll(() => close());

  it('importing into a project on a full disk says the disk is full', async (context) => {
    if (process.platform !== 'linux' || process.getuid?.() !== 0) return context.skip('mounting a small tmpfs needs root on Linux');
    const disk = tempDir('lumen-err-disk-');
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', disk], { encoding: 'utf8' });
    if (mount.status !== 0) return context.skip(`mounting a tmpfs is not permitted here (${(mount.stderr || mount.error?.message || '').trim()})`);
    try {
      const project = join(disk, 'study');
      ProjectStore.open(project, { create: true }).close();
      const fd = openSync(join(disk, 'filler'), 'w');
      try {
        for (;;) writeSync(fd, Buffer.alloc(4096, 1));
      } catch {
        // the disk is full now
      } finally {
        closeSync(fd);
      }
      const error = await failure(api.call('datasets.import', { project, dataset: 'd', folder: 'resources/samples' }));
      expectClear(error.toPayload(), { code: error.code, names: project, remedy: /the disk is full \(\d+(\.\d)? MB free\)/ });
      expect(existsSync(join(project, 'project.lock')), 'an empty project.lock left behind').toBe(false);
    } finally {
      // Lazily: a handle the failed open may still hold must not leave the mount behind.
      spawnSync('umount', ['-l', disk]);
    }
  });
});

describe('errors that say what to do: the lumen command', () => {
  const dir = tempDir('lumen-err-cli-');
  const env = { LUMEN_CACHE_DIR: join(dir, 'cache') };
  beforeAll(() => ensureBuilt());

  it('a truncated PNG', async () => {
    const whole = readFileSync(coffee);
    const path = join(dir, 'cut.png');
    writeFileSync(path, whole.subarray(0, 30_000));
    expectClearCli(lumenCli(env, 'classify', '--image', path), 1, { names: 'cut.png', remedy: /damaged or truncated.*again from its source/ });
  });

  it('a truncated .npy: it is truncated (it does start with the magic string)', () => {
    const whole = encodeNpy({ shape: [1, 3, 224, 224], data: new Float32Array(3 * 224 * 224) });
    const path = join(dir, 'x.npy');
    writeFileSync(path, whole.subarray(0, 1000));
    expectClearCli(lumenCli(env, 'attribute', '--input', path, '--method', 'gradient', '--out', join(dir, 'g.npy')), 1, { names: path, remedy: /it is truncated: .*write it again with numpy\.save/ });
    writeFileSync(path, whole.subarray(0, 8));
    expectClearCli(lumenCli(env, 'attribute', '--input', path, '--method', 'gradient', '--out', join(dir, 'g.npy')), 1, { names: path, remedy: /it is truncated: it ends after 8 bytes/ });
  });

  it('--target -1: one line naming the flag and the value', () => {
    expectClearCli(lumenCli(env, 'attribute', '--image', coffee, '--method', 'gradient', '--out', join(dir, 'g.npy'), '--target', '-1'), 2, {
      names: '--target',
      remedy: /must be at least 0, not "-1"\. See `lumen attribute --help`/,
    });
  });

  it('an unknown --params key is a usage error (exit 2)', () => {
    expectClearCli(lumenCli(env, 'attribute', '--image', coffee, '--method', 'integrated-gradients', '--out', join(dir, 'g.npy'), '--params', '{"stepz":8}'), 2, {
      names: '--params',
      remedy: /unrecognized key: "stepz" \(see `lumen methods` for its parameters\)/,
    });
  });

  it('a folder given as an image', () => {
    expectClearCli(lumenCli(env, 'classify', '--image', dir), 1, { names: dir, remedy: /is a folder, not an image file/ });
  });

  it('a folder that is not a project: the hint names a command that exists', () => {
    const empty = tempDir('lumen-err-empty-');
    const r = lumenCli(env, 'import', '--project', empty, '--dataset', 'd', '--folder', 'resources/samples');
    expectClearCli(r, 1, { names: empty, remedy: /is not a Lumen project/ });
    const suggested = /lumen (\w+) (.*?)\.?$/.exec(r.stderr.trim());
    expect(suggested).not.toBeNull();
    const command = commands.find((c) => c.name === suggested![1]);
    expect(command, `the hint suggests "lumen ${suggested![1]}"`).toBeDefined();
    for (const flag of suggested![2]!.matchAll(/--([\w-]+)/g)) expect(Object.keys(command!.options)).toContain(flag[1]);
  });

  it('report --out over the project database is refused; the database is untouched', () => {
    const project = smallProject();
    const db = join(project, 'project.db');
    const before = readFileSync(db);
    const r = lumenCli(env, 'report', '--project', project, '--run', '1', '--format', 'html', '--out', db);
    expect([1, 2]).toContain(r.code);
    expectClearCli(r, r.code as 1 | 2, { names: db, remedy: /\.html|project/ });
    const artifacts = lumenCli(env, 'report', '--project', project, '--run', '1', '--format', 'html', '--out', join(project, 'artifacts', 'r.html'));
    expectClearCli(artifacts, 1, { names: 'r.html', remedy: /never writes an export over a project's own files\. Choose a file outside the project/ });
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('attribute --out on a full disk: the disk is full, free space or write elsewhere', (context) => {
    if (process.platform !== 'linux' || process.getuid?.() !== 0) return context.skip('mounting a small tmpfs needs root on Linux');
    const full = tempDir('lumen-err-full-');
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', full], { encoding: 'utf8' });
    if (mount.status !== 0) return context.skip(`mounting a tmpfs is not permitted here (${(mount.stderr || mount.error?.message || '').trim()})`);
    try {
      const out = join(full, 'g.npy');
      expectClearCli(lumenCli(env, 'attribute', '--image', coffee, '--method', 'gradient', '--out', out), 1, { names: out, remedy: /the disk is full\. Free some space on that disk, or write the file somewhere else/ });
    } finally {
      spawnSync('umount', ['-l', full]);
    }
  });


  /**
   * More paths found while walking these (others' areas), each fixed since.
   */
  const later: Array<{ name: string; args: () => string[]; names: string; remedy: RegExp }> = [
    { name: 'a folder given as the model card', args: () => ['classify', '--image', coffee, '--card', dir], names: dir, remedy: /folder/ },
    { name: 'a folder given as the model', args: () => ['info', '--model', dir], names: dir, remedy: /is a folder/ },
    { name: 'a missing CSV file to import', args: () => ['import', '--project', join(dir, 'p-csv'), '--create', '--dataset', 'd', '--csv', join(dir, 'none.csv'), '--root', dir], names: 'none.csv', remedy: /not|no such/i },
    { name: 'a folder given as the CSV file', args: () => ['import', '--project', join(dir, 'p-csv-dir'), '--create', '--dataset', 'd', '--csv', dir, '--root', dir], names: dir, remedy: /folder/ },
    { name: 'a missing COCO file to import', args: () => ['import', '--project', join(dir, 'p-coco'), '--create', '--dataset', 'd', '--coco', join(dir, 'none.json'), '--root', dir], names: 'none.json', remedy: /not|no such/i },
    { name: 'a file given as the VOC folder', args: () => ['import', '--project', join(dir, 'p-voc'), '--create', '--dataset', 'd', '--voc', coffee, '--root', dir], names: 'coffee.png', remedy: /folder/ },
  ];
  // A VOC file with an external entity (XXE): nothing is read, and since the importer's fix that
  // file is a problem of its own (fast-xml-parser's "External entities are not supported" used to
  // fail the whole import as a bug).
  // The fuzzing found a sibling: a malformed internal DTD after the root element ("<!DOCTYPE a
  // [<!ENTITY a "x"<>…]>") passes XMLValidator, then parse() throws "Invalid DOCTYPE".
  it('a VOC file with an external entity is a problem of that file, and nothing is read', () => {
    const data = tempDir('lumen-err-voc-');
    copyFileSync(coffee, join(data, 'a.png'));
    mkdirSync(join(data, 'voc'));
    const box = '<bndbox><xmin>1</xmin><ymin>1</ymin><xmax>5</xmax><ymax>5</ymax></bndbox>';
    writeFileSync(join(data, 'voc', 'evil.xml'), `<!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><annotation><filename>a.png</filename><object><name>&xxe;</name>${box}</object></annotation>`);
    writeFileSync(join(data, 'voc', 'good.xml'), `<annotation><filename>a.png</filename><object><name>cup</name>${box}</object></annotation>`);
    const r = lumenCli(env, 'import', '--project', join(tempDir('lumen-err-p-'), 'p'), '--create', '--dataset', 'd', '--voc', join(data, 'voc'), '--root', data);
    expect(r.stdout + r.stderr).not.toMatch(/This is a bug in Lumen|Unexpected error|root:x/);
    expect(r.stdout + r.stderr).toContain('evil.xml');
  });

  for (const c of later) it(c.name, () => expectClearCli(lumenCli(env, ...c.args()), 1, { names: c.names, remedy: c.remedy }));

  it('COCO "file_name": null: the row is named and what it needs is said; the other rows are imported', () => {
    const data = tempDir('lumen-err-coco-');
    copyFileSync(coffee, join(data, 'a.png'));
    const coco = join(data, 'boxes.json');
    writeFileSync(coco, JSON.stringify({ images: [{ id: 1, file_name: null }, { id: 2, file_name: 'a.png' }], annotations: [], categories: [] }));
    const project = join(tempDir('lumen-err-p-'), 'p');
    const r = lumenCli(env, 'import', '--project', project, '--create', '--dataset', 'd', '--coco', coco, '--root', data);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/images 1 added/);
    expect(r.stdout).toMatch(/skipped boxes\.json images\[0\]: needs an integer id and a file_name string \(file_name: /);
    expect(r.stdout + r.stderr).not.toMatch(/This is a bug in Lumen|is not a COCO annotation file/);
  });
});
