import type { ModelCard } from '../../../shared/model-card';
import type { ImageSource } from './image-source';
import { preprocess, type PreprocessedImage } from './preprocess';

/**
 * The model input of each open image, made once per (image, model card): the inspector classifies
 * an image and then explains it, class after class and method after method, and resampling the
 * image each time cost more than a warm Grad-CAM. Keyed weakly, so an image dropped from the
 * store or a card replaced by an edit takes its tensor with it.
 */
export class PreprocessedInputs {
  private readonly byImage = new WeakMap<ImageSource, WeakMap<ModelCard, Promise<PreprocessedImage>>>();

  /**
   * The image's tensor for this card. Each caller gets its own copy of the data (methods may write
   * into their input); `decodeMs`/`preprocessMs` are what the first preparation cost, or, when this
   * call reused it, 0 and the time of the copy.
   */
  async get(source: ImageSource, card: ModelCard): Promise<PreprocessedImage> {
    let byCard = this.byImage.get(source);
    if (!byCard) {
      byCard = new WeakMap();
      this.byImage.set(source, byCard);
    }
    const kept = byCard.get(card);
    if (kept) {
      const t0 = performance.now();
      const prepared = await kept;
      return { ...prepared, data: prepared.data.slice(), decodeMs: 0, preprocessMs: performance.now() - t0 };
    }
    const made = preprocess(source, card);
    byCard.set(card, made);
    // A failed preparation is not kept: the next request tries again (and reports the error itself).
    made.catch(() => byCard.delete(card));
    const prepared = await made;
    return { ...prepared, data: prepared.data.slice() };
  }
}
