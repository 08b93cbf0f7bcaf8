import { makeBatchDynamic } from '../onnx/dynamic-batch';
import type { Model } from '../onnx/ir';
import { defaultOpset, upgradeOpset } from '../onnx/opset-upgrade';
import { probeModel, type Probe } from '../onnx/shape-probe';
import { prepareForCompiling } from './canonizers/for-gradients';
import type { CompileRequest } from './compile';

/** The model as the backward is compiled on: rewritten, canonized, batch-dynamic, and probed. */
export interface CompilableModel {
  model: Model;
  opset: number;
  /** False when the model only runs with the batch size it was exported with. */
  batchable: boolean;
  /** Shapes at batch 2 for batchable models (at the exported batch otherwise). */
  probe: Probe;
  /** Shapes at batch 1 (at the exported batch for models that are not batchable). */
  probeOne: Probe;
  /** What was rewritten, said in the result of every method that uses the graph. */
  notes: string[];
}

/**
 * The first step of compiling: half precision computed in float32 and QDQ dequantised (said in
 * the notes), the opset brought to 16, the rule set's canonizer applied, the batch axis made
 * dynamic, and the shapes probed.
 */
export async function prepareModel(request: Pick<CompileRequest, 'model' | 'input' | 'rules' | 'maskedInput'>): Promise<CompilableModel> {
  const canonical = prepareForCompiling(request.model, request.maskedInput !== undefined);
  const notes: string[] = [...canonical.notes];
  const probeExported = await probeModel(canonical.model, { name: request.input.name, dims: request.input.dims });
  let model = upgradeOpset(canonical.model, 16, probeExported);
  if (request.rules.canonize) model = request.rules.canonize(model, probeExported);
  const batch = await makeBatchDynamic(model, request.input.name, request.input.dims);
  model = batch.model;
  if (batch.note) notes.push(`Model ${batch.note}.`);

  // Batchable models are probed at batch 1 and 2 (the dims that differ are batch axes); others
  // only at the batch size they were exported with.
  const dims = (n: number): number[] => [n, ...request.input.dims.slice(1)];
  const probeOne = await probeModel(model, { name: request.input.name, dims: batch.batchable ? dims(1) : request.input.dims });
  const probe = batch.batchable ? await probeModel(model, { name: request.input.name, dims: dims(2) }) : probeOne;
  return { model, opset: defaultOpset(model), batchable: batch.batchable, probe, probeOne, notes };
}
