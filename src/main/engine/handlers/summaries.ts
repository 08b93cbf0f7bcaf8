import type { ModelSummary } from '../../../shared/contract/model';
import type { ImageSummary } from '../../../shared/contract/image';
import type { ImageSource } from '../image/image-source';
import type { LoadedModel } from '../model/model-registry';
import { runtimeInputs, signature } from '../onnx/model-details';

/** A loaded model as the contract describes it. */
export function modelSummary(m: LoadedModel): ModelSummary {
  return {
    id: m.id,
    fileName: m.fileName,
    sha256: m.sha256,
    sizeBytes: m.sizeBytes,
    builtIn: m.builtIn,
    card: m.resolved,
    inputs: runtimeInputs(m.model).map(signature),
    outputs: m.model.graph.outputs.map(signature),
    executionProvider: m.executionProvider,
    loadMs: m.loadMs,
  };
}

/** An opened image as the contract describes it, with its preview. */
export function imageSummary(id: string, s: ImageSource, preview: { width: number; height: number; data: Uint8Array }): ImageSummary {
  return {
    id,
    name: s.name,
    format: s.format,
    width: s.width,
    height: s.height,
    channels: s.channels,
    bitDepth: s.bitDepth,
    preview: { mime: 'image/png', ...preview },
    ...(s.dicom?.notes.length ? { notes: s.dicom.notes } : {}),
    ...(s.dicom && s.dicom.facts.frames > 1 ? { frame: { index: s.dicom.frame.frame, count: s.dicom.facts.frames } } : {}),
  };
}
