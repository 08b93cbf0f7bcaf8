/**
 * A protobuf wire-format reader, just enough for ONNX: varints (with 64-bit two's complement),
 * fixed 32/64-bit, and length-delimited fields returned as zero-copy views of the input buffer
 * (a model's weights are not copied while decoding).
 */

export const WireType = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

export class ProtoReader {
  private pos: number;
  private readonly view: DataView;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    private readonly end = buf.length,
  ) {
    this.pos = start;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** Reads a field key; returns [fieldNumber, wireType]. */
  key(): [number, number] {
    const key = this.varint();
    return [Math.floor(key / 8), key % 8];
  }

  /** An unsigned or signed (two's complement int64) varint as a JS number. */
  varint(): number {
    let lo = 0;
    let hi = 0;
    let shift = 0;
    let byte: number;
    // Low 28 bits, then the rest into hi; int64 values above 2^53 lose precision, as JSON would.
    do {
      if (this.pos >= this.end) throw new RangeError('truncated varint');
      byte = this.buf[this.pos++]!;
      if (shift < 28) lo |= (byte & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (byte & 0x0f) << 28;
        hi |= (byte & 0x7f) >> 4;
      } else hi |= (byte & 0x7f) << (shift - 32);
      shift += 7;
      if (shift > 70) throw new RangeError('varint too long');
    } while (byte & 0x80);
    lo >>>= 0;
    if (hi & 0x80000000) {
      // Negative int64: value = -(~v + 1)
      const nlo = (~lo >>> 0) + 1;
      const nhi = (~hi >>> 0) + (nlo > 0xffffffff ? 1 : 0);
      return -((nhi >>> 0) * 0x100000000 + (nlo >>> 0));
    }
    return (hi >>> 0) * 0x100000000 + lo;
  }

  fixed32(): number {
    const value = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return value;
  }

  float(): number {
    const value = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return value;
  }

  double(): number {
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /** A length-delimited field as a view into the buffer. */
  bytes(): Uint8Array {
    const length = this.varint();
    const start = this.pos;
    this.pos += length;
    if (this.pos > this.end) throw new RangeError('truncated length-delimited field');
    return this.buf.subarray(start, start + length);
  }

  string(): string {
    return textDecoder.decode(this.bytes());
  }

  /** A reader over a nested message. */
  message(): ProtoReader {
    const length = this.varint();
    const start = this.pos;
    this.pos += length;
    if (this.pos > this.end) throw new RangeError('truncated message');
    return new ProtoReader(this.buf, start, start + length);
  }

  /** Repeated numeric fields may be packed (one bytes field) or not; read either form. */
  packed(wireType: number, readOne: (r: ProtoReader) => number, into: number[]): void {
    if (wireType === WireType.bytes) {
      const inner = this.message();
      while (!inner.done) into.push(readOne(inner));
    } else {
      into.push(readOne(this));
    }
  }

  skip(wireType: number): void {
    switch (wireType) {
      case WireType.varint:
        this.varint();
        break;
      case WireType.fixed64:
        this.pos += 8;
        break;
      case WireType.bytes:
        this.pos += this.varint();
        break;
      case WireType.fixed32:
        this.pos += 4;
        break;
      default:
        throw new RangeError(`unsupported wire type ${wireType}`);
    }
    if (this.pos > this.end) throw new RangeError('truncated field');
  }
}

const textDecoder = new TextDecoder('utf-8', { fatal: false });
