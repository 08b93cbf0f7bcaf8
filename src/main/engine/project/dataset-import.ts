/**
 * Dataset importers, one file per format under `import/`: folder trees, CSV, COCO, Pascal VOC,
 * masks, DICOM folders and DICOMDIRs, and label CSVs keyed by SOP Instance UID or file. They share
 * one rule for image paths (`import/image-path.ts`), one way of storing images and boxes
 * (`import/store-rows.ts`) and one report: a bad row is a problem with where it is, and the
 * import goes on.
 */
export type { Box, BoxKind, DicomGrouping, ImageRow, ImportProblem, ImportReport, LabelsKey } from './import/report';
export { importFolder } from './import/folder';
export { importCsv } from './import/csv';
export { importCoco } from './import/coco';
export { importVoc } from './import/voc';
export { importMasks } from './import/masks';
export { rerootDataset } from './import/reroot';
export { importDicomFolder } from './import/dicom-folder';
export { importDicomdir } from './import/dicomdir';
export { importLabels } from './import/labels';
