/** The most images an audit attributes together (and decodes ahead). */
export const maxAuditBatch = 8;

/**
 * About how long one batch's attribution may take. A pause or cancel that arrives between the
 * images of a batch stops after the image being stored, and the batch's other maps are lost, so
 * a batch holds about this much work: a second lost at most, while cheap methods (Grad-CAM,
 * gradients) still fill several images per run.
 */
export const batchWorkMs = 1000;

/**
 * How many images the next batch of an audit holds: fixed when the caller asks for a size, else
 * sized from the attribution time per image measured so far, so that a batch is about
 * `batchWorkMs` of work, between 1 and `maxAuditBatch` images. The first batch is one image: its
 * time, not a guess, sizes the rest.
 */
export class AuditBatchSize {
  private perImageMs: number | undefined;

  constructor(private readonly fixed?: number) {}

  next(): number {
    if (this.fixed !== undefined) return Math.max(1, Math.floor(this.fixed));
    if (this.perImageMs === undefined) return 1;
    return Math.max(1, Math.min(maxAuditBatch, Math.floor(batchWorkMs / Math.max(this.perImageMs, 1e-3))));
  }

  /** A batch of `images` took `ms` to attribute; the latest batch counts most (load changes). */
  record(images: number, ms: number): void {
    if (images <= 0) return;
    const perImage = ms / images;
    this.perImageMs = this.perImageMs === undefined ? perImage : (this.perImageMs + perImage) / 2;
  }
}
