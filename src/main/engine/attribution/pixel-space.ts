import { channelCount, type ModelCard } from '../../../shared/model-card';

/**
 * The model card's normalisation as a map between pixel values (0..1 per channel, what a user
 * means by "black" or "white") and tensor values, per element of one input row.
 */
export class PixelSpace {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  private readonly a: Float64Array;
  private readonly b: Float64Array;

  constructor(private readonly card: ModelCard) {
    this.channels = channelCount(card.input.color);
    this.height = card.input.height;
    this.width = card.input.width;
    const { scale, mean, std } = card.preprocess;
    this.a = new Float64Array(this.channels);
    this.b = new Float64Array(this.channels);
    for (let c = 0; c < this.channels; c++) {
      const m = mean.length === 1 ? mean[0]! : mean[c]!;
      const s = std.length === 1 ? std[0]! : std[c]!;
      this.a[c] = scale / s;
      this.b[c] = -m / s;
    }
  }

  get layout(): 'NCHW' | 'NHWC' {
    return this.card.input.layout;
  }

  get size(): number {
    return this.channels * this.height * this.width;
  }

  /** The channel of element i of a row. */
  channelOf(i: number): number {
    return this.layout === 'NCHW' ? Math.floor(i / (this.height * this.width)) : i % this.channels;
  }

  /** The tensor of an image whose every pixel is `value01` in every channel. */
  constant(value01: number): Float32Array {
    const out = new Float32Array(this.size);
    for (let i = 0; i < out.length; i++) {
      const c = this.channelOf(i);
      out[i] = value01 * this.a[c]! + this.b[c]!;
    }
    return out;
  }

  fromPixels(p01: ArrayLike<number>): Float32Array {
    const out = new Float32Array(this.size);
    for (let i = 0; i < out.length; i++) {
      const c = this.channelOf(i);
      out[i] = p01[i]! * this.a[c]! + this.b[c]!;
    }
    return out;
  }

  toPixels(x: ArrayLike<number>): Float32Array {
    const out = new Float32Array(this.size);
    for (let i = 0; i < out.length; i++) {
      const c = this.channelOf(i);
      out[i] = (x[i]! - this.b[c]!) / this.a[c]!;
    }
    return out;
  }
}
