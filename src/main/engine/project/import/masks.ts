import { readdirSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { LumenError } from '../../../../shared/errors';
import { confine } from '../../paths/confine';
import type { ProjectStore } from '../project-store';
import { emptyReport, shown, type ImportReport } from './report';

/** Mask images (non-zero = object) matched to the dataset's images by file stem. */
export function importMasks(store: ProjectStore, name: string, maskFolder: string, label = ''): ImportReport {
  const report = emptyReport(name);
  const dataset = store.db.prepare('SELECT id FROM datasets WHERE name = ?').get(name) as { id: number } | undefined;
  if (!dataset) throw new LumenError('not-found', `There is no dataset "${name}" in this project.`, 'Import its images first.');
  const images = store.db.prepare('SELECT id, path FROM images WHERE dataset_id = ?').all(dataset.id) as Array<{ id: number; path: string }>;
  const byStem = new Map(images.map((i) => [basename(i.path).replace(/\.[^.]+$/, ''), i.id]));
  const insert = store.db.prepare("INSERT OR IGNORE INTO annotations (image_id, kind, label, mask_path, source, identity) VALUES (?, 'mask', ?, ?, 'mask', ?)");
  for (const file of readdirSync(maskFolder).sort()) {
    // A mask is read later by audits: it must really be in the mask folder (no link out of it).
    const path = confine(maskFolder, file);
    if (path === null) {
      report.problems.push({ where: shown(file), reason: 'it leads out of the mask folder (a symbolic link)' });
      continue;
    }
    if (!statSync(path).isFile()) continue;
    const stem = basename(file).replace(/\.[^.]+$/, '').replace(/\.mask$/, '');
    const imageId = byStem.get(stem);
    if (imageId === undefined) {
      report.problems.push({ where: shown(file), reason: `no image named ${shown(stem)} in dataset "${name}"` });
      continue;
    }
    if (insert.run(imageId, label, path, `mask|${label}|${path}`).changes > 0) report.annotations.added++;
    else report.annotations.unchanged++;
  }
  return report;
}
