import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import dicomParser, { type DataSet } from 'dicom-parser';
import { LumenError } from '../../../../shared/errors';
import type { ProjectStore } from '../project-store';
import { importDicomFolder } from './dicom-folder';
import { dicomGrouping } from './dicom-grouping';
import { datasetPath } from './image-path';
import { checkImportSource } from './source-file';
import { emptyReport, shown, type ImageRow, type ImportReport } from './report';
import { datasetId, upsertImages } from './store-rows';

/** Media Storage Directory Storage: the SOP class of a DICOMDIR (PS3.10 7.2). */
const mediaDirectoryClass = '1.2.840.10008.1.3.10';

/** A DICOMDIR record that points at a file: its type (IMAGE, SR DOCUMENT, RT PLAN…), the file and the instance it says the file holds. */
interface FileRecord {
  index: number;
  type: string;
  fileId: string;
  sopInstanceUid: string | undefined;
}

function text(ds: DataSet, tag: string): string | undefined {
  const value = ds.string(tag)?.replace(/\0/g, '').trim();
  return value ? value : undefined;
}

/** Whether a file that cannot be parsed whole still says, in its meta header, that it is a DICOMDIR. */
function saysDicomdir(bytes: Uint8Array): boolean {
  try {
    return text(dicomParser.readPart10Header(bytes), 'x00020002') === mediaDirectoryClass;
  } catch {
    return false;
  }
}

/**
 * The DICOMDIR's data set; `damaged` when the file says it is a DICOMDIR but its records cannot be
 * read; or why it is not one, in the user's terms.
 */
function readDirectory(file: string): DataSet | 'damaged' {
  const name = shown(basename(file));
  const bytes = readFileSync(file);
  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(bytes);
  } catch {
    if (saysDicomdir(bytes)) return 'damaged';
    throw new LumenError('invalid-argument', `${name} is not a DICOMDIR Lumen can read (it is not DICOM, or it is damaged or cut short).`, 'Give the DICOMDIR file at the top of the DICOM media, or import the folder with --dicom instead.', { path: file });
  }
  const sopClass = text(dataSet, 'x00020002');
  if (!dataSet.elements.x00041220 || (sopClass !== undefined && sopClass !== mediaDirectoryClass)) {
    throw new LumenError('invalid-argument', `${name} is a DICOM file but not a DICOMDIR (it has no Directory Record Sequence).`, 'Import a folder of DICOM files with --dicom instead.', { path: file });
  }
  return dataSet;
}

/**
 * The records of the Directory Record Sequence (0004,1220) that reference a file, in file order.
 * PATIENT, STUDY and SERIES records only structure the media: each referenced file carries its
 * own patient, study and series UIDs, which is what the project groups by, so records in any
 * order (or with broken offsets) import the same.
 */
function fileRecords(dataSet: DataSet): FileRecord[] {
  const records: FileRecord[] = [];
  for (const [index, item] of (dataSet.elements.x00041220!.items ?? []).entries()) {
    const ds = item.dataSet;
    if (!ds) continue;
    const fileId = text(ds, 'x00041500');
    if (!fileId) continue;
    records.push({ index: index + 1, type: text(ds, 'x00041430') ?? 'record', fileId, sopInstanceUid: text(ds, 'x00041511') });
  }
  return records;
}

/**
 * The path a Referenced File ID names, relative to the DICOMDIR's folder: as spelled, or else
 * matching each component regardless of case, as media copied or mounted with lower-case names
 * (ISO 9660 on Linux) hold them. Nothing here decides what may be read: the caller confines it.
 */
function fileIdPath(root: string, fileId: string, listings: Map<string, string[]>): string {
  const components = fileId.split('\\');
  const spelled = components.join('/');
  if (existsSync(join(root, spelled))) return spelled;
  const found: string[] = [];
  for (const component of components) {
    const dir = join(root, ...found);
    let names = listings.get(dir);
    if (!names) {
      try {
        names = readdirSync(dir);
      } catch {
        return spelled;
      }
      listings.set(dir, names);
    }
    const match = names.find((n) => n.toLowerCase() === component.toLowerCase());
    if (match === undefined) return spelled;
    found.push(match);
  }
  return found.join('/');
}

/**
 * The files a DICOMDIR lists, imported like a DICOM folder. A Referenced File ID is a path of
 * components relative to the DICOMDIR's folder; one that leaves that folder (`..`, an absolute
 * path, a symbolic link out) is a problem of its record, never a file Lumen reads. A record whose
 * file holds another instance than the record says is imported with the file's own UIDs, said so.
 * A DICOMDIR whose records cannot be read falls back to reading its folder file by file, said so.
 */
export async function importDicomdir(store: ProjectStore, name: string, dicomdirFile: string): Promise<ImportReport> {
  checkImportSource(dicomdirFile, 'DICOMDIR', 'file');
  const file = resolve(dicomdirFile);
  const root = dirname(file);
  const directory = readDirectory(file);
  if (directory === 'damaged') {
    // The media's files are still there: each is judged by its content, as a DICOM folder's are.
    const report = await importDicomFolder(store, name, root);
    report.problems.unshift({ where: shown(basename(file)), reason: "the DICOMDIR's records cannot be read (the file is damaged); the files under its folder were imported by their content instead", kept: true });
    return report;
  }
  const report = emptyReport(name);
  const at = (record: FileRecord): string => `${shown(basename(file))} record ${record.index} (${shown(record.type)})`;
  const rows: ImageRow[] = [];
  const expected = new Map<string, { uid: string; where: string }>();
  const seen = new Set<string>();
  const listings = new Map<string, string[]>();
  for (const record of fileRecords(directory)) {
    const path = datasetPath(root, fileIdPath(root, record.fileId, listings));
    if ('problem' in path) {
      report.problems.push({ where: at(record), reason: path.problem });
      continue;
    }
    if (seen.has(path.path)) continue;
    seen.add(path.path);
    rows.push({ path: path.path, where: `${at(record)} ${shown(path.path)}` });
    if (record.sopInstanceUid) expected.set(path.path, { uid: record.sopInstanceUid, where: at(record) });
  }
  const dataset = datasetId(store, name, root);
  const stored = await upsertImages(store, dataset, root, rows, report);
  const uidOf = store.db.prepare('SELECT sop_instance_uid AS uid FROM dicom_instances WHERE image_id = ?');
  for (const [path, { uid, where }] of expected) {
    const image = stored.get(path);
    if (!image) continue;
    const actual = (uidOf.get(image.id) as { uid: string | null } | undefined)?.uid ?? null;
    if (actual !== uid) {
      report.problems.push({ where, reason: `the DICOMDIR says ${shown(path)} holds SOP instance ${shown(uid)} but the file holds ${actual === null ? 'none' : shown(actual)}; imported with the file's own UIDs`, kept: true });
    }
  }
  report.dicom = dicomGrouping(store, dataset);
  return report;
}
