import { describeZodError, LumenError } from '../../../shared/errors';
import {
  channelCount,
  medicalPreprocessFields,
  ModelCard,
  type ColorOrder,
  type FieldSource,
  type FindingThresholds,
  type Layout,
  type ModelCardFile,
  type OutputKind,
  type ResolvedCard,
} from '../../../shared/model-card';
import { dataTypeName, DataType, type Dim, type Model, type ValueInfo } from '../onnx/ir';
import { runtimeInputs } from '../onnx/model-details';
import { formatShape, inferLayout, layoutAxes } from './image-input';
import { layoutFromGraph } from './layout-from-graph';
import { isMultiLabel } from '../../../shared/multilabel';
import { finalActivation } from './output-kind';

export interface CardInputs {
  model: Model;
  /** The model file's name without extension: the card's name when nothing better is known. */
  fileStem: string;
  /** Card fields from a card file and/or given inline (inline wins, merged by the caller). */
  cardFile: ModelCardFile;
  /** Labels from the card's labelsFile or a labels.txt next to the model. */
  labels?: { list: string[]; source: FieldSource };
  /** Where the user should write card fields, for hints. */
  cardPathHint: string;
}

/** torchvision's ImageNet statistics: the most common convention among exported classifiers. */
const imagenetMean = [0.485, 0.456, 0.406];
const imagenetStd = [0.229, 0.224, 0.225];

/**
 * Builds the model card: what the ONNX file says, overridden by the card file, completed with
 * defaults; each field remembers its source. A card that contradicts the model is rejected with
 * the field named, and a model Lumen cannot treat as an image classifier is rejected with why.
 */
export function resolveCard(inputs: CardInputs): ResolvedCard {
  const { model, cardFile } = inputs;
  const sources: Record<string, FieldSource> = {};
  const notes: string[] = [];
  const hint = `Edit ${inputs.cardPathHint}.`;
  const metadata = new Map(model.metadata);

  function choose<T>(path: string, fromCard: T | undefined, fromModel: T | undefined, fallback: T): T {
    if (fromCard !== undefined) {
      sources[path] = 'card';
      return fromCard;
    }
    if (fromModel !== undefined) {
      sources[path] = 'model';
      return fromModel;
    }
    sources[path] = 'default';
    return fallback;
  }

  // --- the image input -------------------------------------------------------------------------
  const candidates = runtimeInputs(model);
  const input = pickInput(candidates, cardFile.input?.name, inputs.cardPathHint);
  sources['input.name'] = cardFile.input?.name ? 'card' : 'model';
  // float16 inputs are fed as float16 (runtime/model-tensors.ts); other types cannot hold an image.
  if (input.elemType !== undefined && input.elemType !== DataType.FLOAT && input.elemType !== DataType.FLOAT16) {
    throw new LumenError(
      'unsupported-model',
      `The model's input "${input.name}" holds ${dataTypeName(input.elemType)} values; Lumen feeds float32 or float16 image tensors.`,
      input.elemType === DataType.BFLOAT16
        ? "onnxruntime's CPU provider has no bfloat16 arithmetic: convert the model to float16 or float32 (onnxconverter-common, or export it again); bfloat16 weights cast to float32 at use are fine."
        : 'Export the model with a float32 input (most exporters do by default).',
    );
  }
  const shape: Dim[] | undefined = input.shape;
  if (shape !== undefined && shape.length !== 4) {
    throw new LumenError(
      'unsupported-model',
      `The model's input "${input.name}" has shape ${formatShape(shape)}, which is not an image tensor ` +
        '[batch, channels, height, width] or [batch, height, width, channels].',
      'Lumen explains image classifiers; use a model whose input is a rank-4 image tensor.',
    );
  }

  // The dims say it when one end is a channel count; otherwise a Transpose after the input does.
  const fromGraph = layoutFromGraph(model, input.name);
  const fromShape = shape ? inferLayout(shape) : undefined;
  const modelLayout = fromShape ?? fromGraph;
  if (cardFile.input?.layout && modelLayout && cardFile.input.layout !== modelLayout) {
    throw contradiction('input.layout', `is ${cardFile.input.layout} but the model's input shape ${formatShape(shape)} is ${modelLayout}`, hint);
  }
  const layout: Layout = choose('input.layout', cardFile.input?.layout, modelLayout, 'NCHW');
  if (sources['input.layout'] === 'default') notes.push(`Input layout could not be read from the shape ${formatShape(shape)}; assuming NCHW.`);
  const axes = layoutAxes(layout);
  const staticDim = (axis: number): number | undefined => {
    const d = shape?.[axis];
    return typeof d === 'number' && d > 0 ? d : undefined;
  };

  const modelChannels = staticDim(axes.channel);
  if (modelChannels !== undefined && modelChannels !== 1 && modelChannels !== 3) {
    throw new LumenError(
      'unsupported-model',
      `The model's input "${input.name}" has ${modelChannels} channels (shape ${formatShape(shape)}, ${layout}); Lumen feeds 1 (grayscale) or 3 (colour) channels.`,
      modelLayout === undefined ? `If the layout is wrong, set input.layout in ${inputs.cardPathHint}.` : undefined,
    );
  }
  const imageFormat = metadata.get('Image.BitmapPixelFormat');
  const colorFromMetadata: ColorOrder | undefined =
    imageFormat === 'Gray8' ? 'GRAY' : imageFormat === 'Bgr8' ? 'BGR' : imageFormat === 'Rgb8' ? 'RGB' : undefined;
  const colorFromModel: ColorOrder | undefined = colorFromMetadata ?? (modelChannels === 1 ? 'GRAY' : undefined);
  const color: ColorOrder = choose('input.color', cardFile.input?.color, colorFromModel, 'RGB');
  if (modelChannels !== undefined && channelCount(color) !== modelChannels) {
    throw contradiction('input.color', `is ${color} (${channelCount(color)} channel${color === 'GRAY' ? '' : 's'}) but the model's input has ${modelChannels}`, hint);
  }
  if (sources['input.color'] === 'default') {
    notes.push('Channel order is not stored in ONNX files; assuming RGB (models from Caffe or OpenCV often expect BGR).');
  }

  const sizes = { height: staticDim(axes.height), width: staticDim(axes.width) };
  const size = { height: 224, width: 224 };
  for (const key of ['height', 'width'] as const) {
    const fromCard = cardFile.input?.[key];
    if (fromCard !== undefined && sizes[key] !== undefined && fromCard !== sizes[key]) {
      throw contradiction(`input.${key}`, `is ${fromCard} but the model's input shape ${formatShape(shape)} fixes it to ${sizes[key]}`, hint);
    }
    size[key] = choose(`input.${key}`, fromCard, sizes[key], 224);
  }
  if (sources['input.height'] === 'default' || sources['input.width'] === 'default') {
    notes.push(`The model accepts any image size; using ${size.height}x${size.width}.`);
  }

  // --- the class-score output --------------------------------------------------------------------
  const output = pickOutput(model.graph.outputs, cardFile.output?.name, inputs.cardPathHint);
  sources['output.name'] = cardFile.output?.name ? 'card' : 'model';
  const classCount = typeof output.shape?.[1] === 'number' ? output.shape[1] : undefined;
  const activation = finalActivation(model.graph, output.name);
  // A final Sigmoid scores findings independently (multi-label); a final Softmax, one class per image.
  const kindFromModel: OutputKind | undefined = activation === 'none' ? undefined : activation === 'sigmoid' ? 'multilabel-probabilities' : 'probabilities';
  const kind: OutputKind = choose('output.kind', cardFile.output?.kind, kindFromModel, 'logits');

  let labels: string[] = [];
  if (cardFile.output?.labels !== undefined) {
    labels = cardFile.output.labels;
    sources['output.labels'] = 'card';
  } else if (inputs.labels) {
    labels = inputs.labels.list;
    sources['output.labels'] = inputs.labels.source;
  } else {
    sources['output.labels'] = 'default';
    notes.push('No labels found; classes are shown by index. Add a labels.txt (one label per line) next to the model.');
  }
  if (classCount !== undefined && labels.length > 0 && labels.length !== classCount) {
    throw contradiction('output.labels', `has ${labels.length} labels but the model's output "${output.name}" has ${classCount} classes`, hint);
  }

  const thresholds = findingThresholds(cardFile.output?.thresholds, labels, hint);
  if (thresholds !== undefined) sources['output.thresholds'] = 'card';
  else if (isMultiLabel(kind)) sources['output.thresholds'] = 'default';

  // --- preprocessing ---------------------------------------------------------------------------------
  const range = metadata.get('Image.NominalPixelRange');
  const fromRange = nominalRange(range, channelCount(color));
  const gray = color === 'GRAY';
  const scale = choose('preprocess.scale', cardFile.preprocess?.scale, fromRange?.scale, 1);
  const mean = choose('preprocess.mean', cardFile.preprocess?.mean, fromRange?.mean, gray ? [0] : imagenetMean);
  const std = choose('preprocess.std', cardFile.preprocess?.std, fromRange?.std, gray ? [1] : imagenetStd);
  if (sources['preprocess.mean'] === 'default' || sources['preprocess.std'] === 'default') {
    notes.push(
      gray
        ? 'Normalisation is not stored in the model; feeding pixels scaled to [0, 1].'
        : 'Normalisation is not stored in the model; using the ImageNet mean/std of torchvision.',
    );
  }
  const resize = choose('preprocess.resize', cardFile.preprocess?.resize, undefined, { mode: 'center-crop' as const, cropFraction: 0.875 });
  if (sources['preprocess.resize'] === 'default') notes.push('Crop policy is not stored in the model; using resize + centre crop 87.5% (torchvision).');
  const interpolation = choose('preprocess.interpolation', cardFile.preprocess?.interpolation, undefined, 'linear' as const);

  const name = choose('name', cardFile.name, metadata.get('name'), inputs.fileStem);
  const medical = medicalFields(cardFile, sources);

  const candidate = {
    name,
    input: { name: input.name, layout, height: size.height, width: size.width, color, ...medical.input },
    preprocess: { resize, interpolation, scale, mean, std, ...medical.preprocess },
    output: { name: output.name, kind, labels, ...(thresholds !== undefined ? { thresholds } : {}) },
  };
  const parsed = ModelCard.safeParse(candidate);
  if (!parsed.success) {
    throw new LumenError('invalid-card', `The model card is invalid: ${describeZodError(parsed.error)}.`, hint);
  }
  if (candidates.length > 1) {
    notes.push(`Only "${input.name}" is fed; the model's other inputs are unused.`);
  }
  return { card: parsed.data, sources, notes };
}

/**
 * The medical preprocessing fields the card sets (only the card can: ONNX files do not record them).
 * Absent or null fields stay out of the card, so a card without them resolves exactly as before.
 */
function medicalFields(cardFile: ModelCardFile, sources: Record<string, FieldSource>): { input: object; preprocess: object } {
  const input: Record<string, unknown> = {};
  const preprocess: Record<string, unknown> = {};
  const accepts = cardFile.input?.acceptsPhotometric;
  if (accepts !== undefined && accepts !== null) {
    input['acceptsPhotometric'] = accepts;
    sources['input.acceptsPhotometric'] = 'card';
  }
  for (const key of medicalPreprocessFields) {
    const value = cardFile.preprocess?.[key];
    if (value === undefined || value === null) continue;
    preprocess[key] = value;
    sources[`preprocess.${key}`] = 'card';
  }
  return { input, preprocess };
}

function pickInput(candidates: ValueInfo[], named: string | undefined, cardPath: string): ValueInfo {
  const names = candidates.map((c) => `"${c.name}"`).join(', ');
  if (named !== undefined) {
    const found = candidates.find((c) => c.name === named);
    if (!found) throw contradiction('input.name', `is "${named}", which is not an input of the model (its inputs: ${names || 'none'})`, `Edit ${cardPath}.`);
    if (candidates.length > 1) {
      throw new LumenError(
        'unsupported-model',
        `The model has ${candidates.length} inputs (${names}); Lumen can feed only the image input "${named}".`,
        'Export the classifier with the image as its only input.',
      );
    }
    return found;
  }
  if (candidates.length === 0) throw new LumenError('unsupported-model', 'The model has no inputs to feed.');
  if (candidates.length > 1) {
    throw new LumenError(
      'unsupported-model',
      `The model has ${candidates.length} inputs (${names}) and no card says which one is the image.`,
      `Name the image input in ${cardPath}: {"input": {"name": ...}}.`,
    );
  }
  return candidates[0]!;
}

function pickOutput(outputs: ValueInfo[], named: string | undefined, cardPath: string): ValueInfo {
  const names = outputs.map((o) => `"${o.name}"`).join(', ');
  if (named !== undefined) {
    const found = outputs.find((o) => o.name === named);
    if (!found) throw contradiction('output.name', `is "${named}", which is not an output of the model (its outputs: ${names})`, `Edit ${cardPath}.`);
    if (found.shape !== undefined && found.shape.length !== 2) {
      throw new LumenError('unsupported-model', `The output "${named}" has shape ${formatShape(found.shape)}; class scores must be [batch, classes].`);
    }
    return found;
  }
  const scoreLike = outputs.filter((o) => o.shape === undefined || o.shape.length === 2);
  if (scoreLike.length === 0) {
    throw new LumenError(
      'unsupported-model',
      `None of the model's outputs (${outputs.map((o) => `"${o.name}" ${formatShape(o.shape)}`).join(', ')}) has the [batch, classes] shape of class scores.`,
      'Lumen explains image classifiers; detection and segmentation models are not supported yet.',
    );
  }
  const preferred = scoreLike.find((o) => /logit|prob|score|class|output/i.test(o.name));
  return preferred ?? scoreLike[0]!;
}

function nominalRange(range: string | undefined, channels: number): { scale: number; mean: number[]; std: number[] } | undefined {
  const fill = (v: number): number[] => Array.from({ length: channels }, () => v);
  switch (range) {
    case 'NominalRange_0_255':
      return { scale: 255, mean: fill(0), std: fill(1) };
    case 'Normalized_0_1':
      return { scale: 1, mean: fill(0), std: fill(1) };
    case 'Normalized_1_1':
      return { scale: 1, mean: fill(0.5), std: fill(0.5) };
    default:
      return undefined;
  }
}

/** The card's thresholds, checked against the labels: a per-finding threshold must name a finding. */
function findingThresholds(thresholds: FindingThresholds | undefined, labels: string[], hint: string): FindingThresholds | undefined {
  if (thresholds === undefined || typeof thresholds === 'number') return thresholds;
  const unknown = Object.keys(thresholds).filter((finding) => !labels.includes(finding));
  if (unknown.length > 0) {
    const known = labels.length > 0 ? `its findings are ${labels.slice(0, 20).map((l) => `"${l}"`).join(', ')}` : 'the card has no labels';
    throw contradiction('output.thresholds', `names ${unknown.map((u) => `"${u}"`).join(', ')}, which ${unknown.length === 1 ? 'is not a label' : 'are not labels'} of the model (${known})`, hint);
  }
  return thresholds;
}

function contradiction(field: string, problem: string, hint: string): LumenError {
  return new LumenError('invalid-card', `The model card's ${field} ${problem}.`, hint, { field });
}

