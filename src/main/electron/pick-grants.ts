import type { PickKind } from '../../shared/contract/native-picks';
import { AllowPathMessage } from '../engine-host/allow-path';
import type { RootAccess } from '../engine/paths/allowed-roots';

/** One native dialog: open (a file or a folder) or save, what it shows, and what its pick grants. */
export interface PickDialog {
  dialog: 'open' | 'save';
  title: string;
  /** Electron's open-dialog properties (one item: the page never gets several paths at once). */
  properties: Array<'openFile' | 'openDirectory' | 'createDirectory' | 'promptToCreate'>;
  filters: Array<{ name: string; extensions: string[] }>;
  /** Read: the engine may open what was picked. Write: it may write there (a project, a report). */
  access: RootAccess;
}

/**
 * Which dialog each pick shows and which access its path is granted: the same rule the browser
 * door holds (a page names only what the user chose), with the choosing done by the app's own
 * dialogs. Reading never implies writing: only a project folder and a report's file are written.
 */
export const pickDialogs: Record<PickKind, PickDialog> = {
  model: { dialog: 'open', title: 'Open an ONNX model', properties: ['openFile'], filters: [{ name: 'ONNX model', extensions: ['onnx'] }], access: 'read' },
  'model-card': { dialog: 'open', title: 'Open a model card', properties: ['openFile'], filters: [{ name: 'Model card', extensions: ['json'] }], access: 'read' },
  image: { dialog: 'open', title: 'Open an image', properties: ['openFile'], filters: [{ name: 'Images', extensions: ['png', 'jpg', 'jpeg', 'webp', 'tif', 'tiff', 'dcm', 'dicom'] }, { name: 'DICOM files without an extension', extensions: ['*'] }], access: 'read' },
  // A project is a folder Lumen writes (its database, its artifacts): opened or created here.
  project: { dialog: 'open', title: 'Open or create a project folder', properties: ['openDirectory', 'createDirectory', 'promptToCreate'], filters: [], access: 'write' },
  'dataset-folder': { dialog: 'open', title: 'Choose the dataset’s folder of images', properties: ['openDirectory'], filters: [], access: 'read' },
  'import-file': { dialog: 'open', title: 'Choose the file to import', properties: ['openFile'], filters: [{ name: 'CSV or COCO JSON', extensions: ['csv', 'json'] }, { name: 'Any file (a DICOMDIR has no extension)', extensions: ['*'] }], access: 'read' },
  'report-html': { dialog: 'save', title: 'Save the report', properties: [], filters: [{ name: 'HTML report', extensions: ['html'] }], access: 'write' },
  'report-pdf': { dialog: 'save', title: 'Save the report', properties: [], filters: [{ name: 'PDF report', extensions: ['pdf'] }], access: 'write' },
};

/**
 * The allow-path messages a dialog's result sends to the engine: the first picked path with the
 * pick's access. Nothing for a cancelled dialog; a path that is not a full path (no dialog gives
 * one) is not granted, so the page never learns a path the engine would refuse.
 */
export function grantsForPick(kind: PickKind, picked: readonly string[]): AllowPathMessage[] {
  const first = picked[0];
  if (first === undefined) return [];
  const grant = AllowPathMessage.safeParse({ type: 'allow-path', path: first, access: pickDialogs[kind].access });
  return grant.success ? [grant.data] : [];
}
