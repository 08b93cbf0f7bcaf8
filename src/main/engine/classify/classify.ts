import { LumenError } from '../../../shared/errors';
import type { Prediction } from '../../../shared/contract/classification';
import type { ModelCard } from '../../../shared/model-card';
import { inputDims } from '../image/preprocess';
import { floatData, inputTensor } from '../runtime/model-tensors';
import type { Session } from '../runtime/onnxruntime';
import { probabilities, topK } from './scores';

/** Runs a batch of preprocessed images and returns each image's class scores. */
export async function runClassifier(session: Session, card: ModelCard, images: Float32Array[]): Promise<Float32Array[]> {
  const perImage = images[0]?.length ?? 0;
  const batch = new Float32Array(perImage * images.length);
  images.forEach((img, i) => batch.set(img, i * perImage));
  const feeds = { [card.input.name]: inputTensor(session, card.input.name, batch, inputDims(card, images.length)) };
  let outputs: Awaited<ReturnType<Session['run']>>;
  try {
    outputs = await session.run(feeds, [card.output.name]);
  } catch (error) {
    throw new LumenError(
      'inference-failed',
      `The model failed to run: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}.`,
      'Check that the model card (input size, layout) matches what the model expects.',
    );
  }
  const output = outputs[card.output.name];
  if (!output) throw new LumenError('unsupported-model', `The model did not return its output "${card.output.name}".`);
  const scores = floatData(output, card.output.name);
  const classes = scores.length / images.length;
  return images.map((_, i) => scores.slice(i * classes, (i + 1) * classes));
}

/** The top-k predictions for one image's scores, labelled. */
export function predictions(scores: Float32Array, card: ModelCard, k: number): Prediction[] {
  const probs = probabilities(scores, card.output.kind);
  const isLogit = card.output.kind === 'logits' || card.output.kind === 'multilabel-logits';
  return topK(probs, k).map((index, rank) => ({
    rank: rank + 1,
    index,
    label: card.output.labels[index] ?? `class ${index}`,
    probability: probs[index]!,
    logit: isLogit ? scores[index]! : null,
  }));
}
