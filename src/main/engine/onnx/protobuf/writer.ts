/**
 * A protobuf wire-format writer for ONNX. Nested messages are written by a callback into a child
 * writer and length-prefixed; large byte fields (weights) are kept as references and copied once
 * when the final buffer is assembled.
 */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private scratch = new Uint8Array(256);
  private scratchLength = 0;
  private total = 0;

  get length(): number {
    return this.total + this.scratchLength;
  }

  private ensure(n: number): void {
    if (this.scratchLength + n <= this.scratch.length) return;
    this.flush();
    if (n > this.scratch.length) this.scratch = new Uint8Array(Math.max(n, this.scratch.length * 2));
  }

  private flush(): void {
    if (this.scratchLength === 0) return;
    this.chunks.push(this.scratch.slice(0, this.scratchLength));
    this.total += this.scratchLength;
    this.scratchLength = 0;
  }

  private rawVarint(value: number): void {
    this.ensure(10);
    if (value < 0) {
      // int64 two's complement: always 10 bytes.
      let lo = Number(BigInt.asUintN(64, BigInt(value)) & 0xffffffffn);
      let hi = Number(BigInt.asUintN(64, BigInt(value)) >> 32n);
      for (let i = 0; i < 9; i++) {
        this.scratch[this.scratchLength++] = (lo & 0x7f) | 0x80;
        lo = (lo >>> 7) | ((hi & 0x7f) << 25);
        hi >>>= 7;
      }
      this.scratch[this.scratchLength++] = lo & 0x01;
      return;
    }
    while (value >= 0x80) {
      this.scratch[this.scratchLength++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.scratch[this.scratchLength++] = value;
  }

  private key(field: number, wireType: number): void {
    this.rawVarint(field * 8 + wireType);
  }

  varint(field: number, value: number): void {
    this.key(field, 0);
    this.rawVarint(value);
  }

  float(field: number, value: number): void {
    this.key(field, 5);
    this.ensure(4);
    new DataView(this.scratch.buffer).setFloat32(this.scratchLength, value, true);
    this.scratchLength += 4;
  }

  bytes(field: number, data: Uint8Array): void {
    this.key(field, 2);
    this.rawVarint(data.length);
    if (data.length <= 64) {
      this.ensure(data.length);
      this.scratch.set(data, this.scratchLength);
      this.scratchLength += data.length;
    } else {
      this.flush();
      this.chunks.push(data);
      this.total += data.length;
    }
  }

  string(field: number, value: string): void {
    this.bytes(field, textEncoder.encode(value));
  }

  message(field: number, write: (w: ProtoWriter) => void): void {
    const child = new ProtoWriter();
    write(child);
    this.key(field, 2);
    this.rawVarint(child.length);
    this.flush();
    for (const chunk of child.finishChunks()) {
      this.chunks.push(chunk);
      this.total += chunk.length;
    }
  }

  packedVarints(field: number, values: readonly number[]): void {
    if (values.length === 0) return;
    this.message(field, (w) => {
      for (const v of values) w.rawVarint(v);
    });
  }

  packedFloats(field: number, values: readonly number[]): void {
    if (values.length === 0) return;
    const data = new Uint8Array(values.length * 4);
    const view = new DataView(data.buffer);
    values.forEach((v, i) => view.setFloat32(i * 4, v, true));
    this.bytes(field, data);
  }

  packedDoubles(field: number, values: readonly number[]): void {
    if (values.length === 0) return;
    const data = new Uint8Array(values.length * 8);
    const view = new DataView(data.buffer);
    values.forEach((v, i) => view.setFloat64(i * 8, v, true));
    this.bytes(field, data);
  }

  private finishChunks(): Uint8Array[] {
    this.flush();
    return this.chunks;
  }

  finish(): Uint8Array {
    const chunks = this.finishChunks();
    const out = new Uint8Array(this.total);
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}

const textEncoder = new TextEncoder();
