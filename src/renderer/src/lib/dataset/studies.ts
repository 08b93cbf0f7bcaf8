import type { DatasetStudies, DicomImageFacts, DicomSeriesSummary, DicomStudySummary } from '../../../../shared/contract/project';

/**
 * The dataset browser's study/series filter and DICOM columns, as plain functions: what each study
 * and series is called, which series the series menu offers, and what a filter choice means for
 * the other menu. Patients appear only as the engine numbers them ("Patient 1"), never by ID.
 */

const plural = (n: number, one: string): string => `${n.toLocaleString()} ${one}${n === 1 ? '' : 's'}`;

/** "Chest two views" or, without a description, the end of its UID. */
export function studyName(study: Pick<DicomStudySummary, 'uid' | 'description'>): string {
  return study.description ?? (study.uid ? `Study …${study.uid.slice(-8)}` : 'Study without UID');
}

/** A study as its menu entry names it: patient, description, series and image counts. */
export function studyOption(study: DicomStudySummary): string {
  return `${study.patient} · ${studyName(study)} · ${study.series.length.toLocaleString()} series · ${plural(study.images, 'image')}`;
}

/** "2 Lateral" or, without number or description, the end of its UID. */
export function seriesName(series: Pick<DicomSeriesSummary, 'uid' | 'number' | 'description'>): string {
  const parts = [series.number === null ? null : String(series.number), series.description].filter((p): p is string => p !== null && p !== '');
  if (parts.length > 0) return parts.join(' ');
  return series.uid ? `Series …${series.uid.slice(-8)}` : 'Series without UID';
}

/** A series as its menu entry names it: number, description, modality, images and, when more, frames. */
export function seriesOption(series: DicomSeriesSummary): string {
  const frames = series.frames > series.images ? ` (${plural(series.frames, 'frame')})` : '';
  return `${seriesName(series)}${series.modality ? ` · ${series.modality}` : ''} · ${plural(series.images, 'image')}${frames}`;
}

/** The studies whose series the series menu lists: the chosen one, or all of them. */
export function studiesForSeriesMenu(studies: DatasetStudies['studies'], studyUid: string): DatasetStudies['studies'] {
  return studyUid === '' ? studies : studies.filter((s) => s.uid === studyUid);
}

/** The study a series belongs to (choosing a series also chooses its study). */
export function studyOfSeries(studies: DatasetStudies['studies'], seriesUid: string): string | undefined {
  return studies.find((s) => s.series.some((x) => x.uid === seriesUid))?.uid;
}

/** A filter choice that the dataset no longer has (after a re-import) falls back to "all". */
export function validChoice(studies: DatasetStudies['studies'], studyUid: string, seriesUid: string): { studyUid: string; seriesUid: string } {
  const study = studyUid === '' ? undefined : studies.find((s) => s.uid === studyUid);
  const validStudy = study ? studyUid : '';
  const inScope = studiesForSeriesMenu(studies, validStudy);
  const validSeries = seriesUid !== '' && inScope.some((s) => s.series.some((x) => x.uid === seriesUid)) ? seriesUid : '';
  return { studyUid: validStudy, seriesUid: validSeries };
}

/** A DICOM image's series in a table cell or under a thumbnail: "2 Lateral · DX". */
export function seriesCell(dicom: DicomImageFacts | undefined): string {
  if (!dicom) return '–';
  const name = seriesName({ uid: dicom.seriesUid ?? '', number: dicom.seriesNumber, description: dicom.seriesDescription });
  return dicom.modality ? `${name} · ${dicom.modality}` : name;
}

/** A DICOM image's study in a table cell. */
export function studyCell(dicom: DicomImageFacts | undefined): string {
  if (!dicom) return '–';
  return studyName({ uid: dicom.studyUid ?? '', description: dicom.studyDescription });
}

/** The instance number and, for a multi-frame file, its frame count: "#2 · 30 frames (first shown)". */
export function instanceCell(dicom: DicomImageFacts | undefined): string {
  if (!dicom) return '–';
  const instance = dicom.instanceNumber === null ? '' : `#${dicom.instanceNumber}`;
  const frames = dicom.frames > 1 ? `${plural(dicom.frames, 'frame')} (first shown)` : '';
  return [instance, frames].filter(Boolean).join(' · ') || '–';
}
