/** Every user-visible string of the inspector's "Export as DICOM". */
export const dicomExportText = {
  button: 'Export as DICOM',
  busy: 'Writing DICOM…',
  title: 'The overlay as a DICOM Secondary Capture (burned in), for any PACS viewer',
  segmentation: 'XRAI segmentation',
  segmentationTitle: 'Also write XRAI’s top regions as a DICOM Segmentation (runs XRAI unless this is XRAI)',
  keepIdentifiers: 'Keep identifiers',
  keepIdentifiersTitle: 'Keep the patient’s and study’s identifiers (off: removed by the DICOM PS3.15 Basic Confidentiality Profile)',
  keepWarning: 'The files will name the patient and the study: do not share them outside your institution.',
  done: (files: number, deidentified: boolean) => `${files === 1 ? '1 DICOM file' : `${files} DICOM files`} saved${deidentified ? ', de-identified' : ', identifiers kept'}.`,
  failed: (message: string) => `DICOM export failed: ${message}`,
};
