import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { z } from 'zod';
import type { ExportDicomParams, ExportedDicom } from '../../../shared/contract/dicom-export';
import { LumenError } from '../../../shared/errors';
import { resolveColormap } from '../../../shared/heatmap/colormaps';
import { displayRange } from '../../../shared/heatmap/normalise';
import { heatmapOf } from '../../../shared/heatmap/reduce-channels';
import { selectXraiRegions } from '../../../shared/heatmap/xrai-mask';
import { methodEntry } from '../../../shared/methods/catalogue';
import { lumenVersion } from '../../../shared/version';
import type { AttributionService } from '../attribution/attribution-service';
import { deidentifyDataset, sortByTag } from '../deidentify/deidentify-dataset';
import { newUid, type UidMapper } from '../deidentify/uid-mapper';
import { writeFileAtomic } from '../fs-utils';
import type { ImageSource } from '../image/image-source';
import type { LoadedModel } from '../model/model-registry';
import { IdentifierScrubber } from '../report/identifier-scrubber';
import { looksLikePatientId } from '../report/patient-id';
import { overlayImage } from '../report/render-images';
import { reportDisplay } from '../report/report-model';
import { sopClasses, type DerivedFrom, type DerivedObject } from './derived-common';
import { textOf, writePart10 } from './dicom-dataset';
import { maskOnSource } from './map-to-source';
import { secondaryCapture } from './secondary-capture';
import { segmentation } from './segmentation';
import { sourceDicom } from './source-dicom';
import { sourcePixels } from './source-pixels';

export interface DicomExportRequest {
  model: LoadedModel;
  image: { id: string; source: ImageSource };
  /** The image preprocessed for the model. */
  input: Float32Array;
  params: z.output<typeof ExportDicomParams>;
  signal?: AbortSignal | undefined;
  onProgress?: ((done: number, total: number) => void) | undefined;
}

/** Series numbers of Lumen's derived series (high, so they sort after the acquired ones). */
const overlaySeriesNumber = 9001;
const segmentationSeriesNumber = 9002;

/**
 * Explains one image and writes the result as DICOM: the heat map burned into a Secondary
 * Capture at the image's size, and on request XRAI's top regions as a binary Segmentation, both in
 * the source's study (new series) and referencing the source instance. Unless identifiers are
 * kept, each object passes through the confidentiality profile with the session's UID mapping,
 * so the objects of one export (and of one session) still share one study and reference the same
 * (replaced) source UIDs.
 */
export async function exportDicom(request: DicomExportRequest, services: { attributions: AttributionService; uids: UidMapper }): Promise<ExportedDicom> {
  const { model, image, input, params } = request;
  const card = model.resolved.card;
  const source = image.source;
  const dicom = sourceDicom(source.bytes);
  const warnings: string[] = [];
  const outDir = params.outDir === undefined ? undefined : resolve(params.outDir);

  const outcome = await services.attributions.attribute({ model, input, method: params.method, target: params.target, params: params.params, signal: request.signal, onProgress: request.onProgress });
  const label = methodEntry(outcome.method)?.label ?? outcome.method;
  const colormap = resolveColormap(params.colormap, 'inferno');
  if (colormap.id !== params.colormap) warnings.push(`There is no colormap "${params.colormap}"; the overlay uses ${colormap.label}.`);
  const map = heatmapOf({ data: outcome.data, dims: outcome.dims, kind: outcome.kind }, { reduction: reportDisplay.reduction, layout: card.input.layout });
  const range = displayRange(map.data, { mode: reportDisplay.mode, percentile: reportDisplay.percentile });
  const base = await sourcePixels(source);
  const original = { width: base.width, height: base.height };
  const placement = { input: card.input, resize: card.preprocess.resize };
  const overlay = await overlayImage(base, original, map, placement, { colormap, range, opacity: reportDisplay.opacity });

  const from: DerivedFrom = {
    source: dicom,
    // A non-DICOM image gets a study of its own, the same for every export of it in this session.
    studyInstanceUid: dicom?.studyInstanceUid || services.uids.map(`lumen-image-sha256:${image.id}`),
    now: new Date(),
    frameNumber: (source.dicom?.frame.frame ?? 0) + 1,
  };
  if (!dicom) {
    warnings.push(`"${source.name}" is not a DICOM image, so it has no patient, study or instance to refer to: the files start a new study with no patient; attach them to the right patient in your PACS if they belong to one.`);
  } else if (dicom.burnedInAnnotation) {
    warnings.push(`"${source.name}" says its pixels carry burned-in annotation (Burned In Annotation YES), which may show names or dates: de-identification changes the header only, so check the pixels before sharing the overlay.`);
  }
  if (params.keepIdentifiers) {
    warnings.push('Identifiers kept at your request: the files name the patient and study as the source does. Do not share them outside your institution.');
  }

  const what = `${label} (${outcome.method}) for class ${outcome.target} "${outcome.targetLabel}"`;
  const objects: Array<{ kind: 'secondary-capture' | 'segmentation'; suffix: string; built: DerivedObject }> = [];
  objects.push({
    kind: 'secondary-capture',
    suffix: `${outcome.method}-overlay`,
    built: secondaryCapture({
      from,
      image: overlay,
      seriesInstanceUid: newUid(),
      sopInstanceUid: newUid(),
      seriesNumber: overlaySeriesNumber,
      seriesDescription: `Lumen ${label} overlay`,
      derivationDescription: `Lumen ${lumenVersion}: ${what} by the model ${model.fileName} (SHA-256 ${model.sha256.slice(0, 16)}...), |attribution| scaled to its ${reportDisplay.percentile}th percentile and drawn in ${colormap.label} at opacity ${reportDisplay.opacity} over the source image. The colours are burned into the pixels. An explanation of the model's output, not a finding.`,
    }),
  });

  if (params.segmentation) {
    const xrai = outcome.regions ? outcome : await services.attributions.attribute({ model, input, method: 'xrai', target: outcome.target, params: {}, signal: request.signal, onProgress: request.onProgress });
    const regions = xrai.regions!;
    const selection = selectXraiRegions(regions, params.segmentationArea);
    const mask = maskOnSource((i) => selection.included[regions.ranks[i]!] === 1 && regions.ranks[i]! > 0, card.input, original, card.preprocess.resize);
    const pct = `${Math.round(100 * params.segmentationArea)}%`;
    objects.push({
      kind: 'segmentation',
      suffix: 'xrai-segmentation',
      built: segmentation({
        from,
        mask: { data: mask, width: original.width, height: original.height },
        seriesInstanceUid: newUid(),
        sopInstanceUid: newUid(),
        dimensionOrganizationUid: newUid(),
        seriesNumber: segmentationSeriesNumber,
        seriesDescription: `Lumen XRAI top regions (${pct})`,
        segmentLabel: `XRAI top ${pct} for ${outcome.targetLabel}`,
        description: `XRAI top regions, ${selection.regionCount} covering ${pct} of the input`,
        algorithmName: `Lumen ${lumenVersion} XRAI`,
      }),
    });
  }

  // File names never carry a name that looks like a patient identifier, or holds one of the
  // source's own (its patient's name or ID), unless identifiers are kept.
  const rawStem = source.name.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_') || 'image';
  const hideName = !params.keepIdentifiers && (looksLikePatientId(source.name) || IdentifierScrubber.of([source]).identifies(source.name));
  const stem = hideName ? `image-${image.id.slice(0, 8)}` : rawStem;
  const targets = objects.map((object) => {
    const name = `${stem}.${object.suffix}.dcm`;
    return { ...object, name, path: outDir ? join(outDir, name) : undefined };
  });
  // Checked for every file before any is written: an export is written whole or not at all.
  for (const { path } of targets) {
    if (path && existsSync(path) && !params.overwrite) {
      throw new LumenError('invalid-argument', `${path} already exists.`, 'Choose another folder, or replace it (lumen export-dicom --force).', { path });
    }
  }
  if (outDir) await mkdir(outDir, { recursive: true });
  const files: ExportedDicom['files'] = [];
  for (const { kind, built, name, path } of targets) {
    const dataset = sortByTag({
      ...(params.keepIdentifiers ? built.dataset : deidentifyDataset(built.dataset, { uids: services.uids, required: built.required, cleanDescriptors: true }).dataset),
      ...built.descriptors,
    });
    const bytes = writePart10(dataset);
    if (path) await writeFileAtomic(path, bytes);
    files.push({
      kind,
      name,
      ...(path ? { path } : { data: bytes }),
      bytes: bytes.byteLength,
      sopClassUid: kind === 'segmentation' ? sopClasses.segmentation : sopClasses.secondaryCapture,
      sopInstanceUid: textOf(dataset, '00080018'),
      seriesInstanceUid: textOf(dataset, '0020000E'),
      studyInstanceUid: textOf(dataset, '0020000D'),
    });
  }
  return { files, method: outcome.method, target: outcome.target, targetLabel: outcome.targetLabel, deidentified: !params.keepIdentifiers, sourceIsDicom: dicom !== null, warnings };
}
