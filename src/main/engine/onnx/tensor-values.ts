import { DataType, elementCount, type Tensor } from './ir';

/**
 * Reading and writing initializer values. ONNX stores values either as little-endian raw bytes or
 * in typed repeated fields; these helpers hide the difference.
 */

function rawView(t: Tensor, bytesPerElement: number): DataView | null {
  if (!t.raw) return null;
  if (t.raw.byteLength !== elementCount(t.dims) * bytesPerElement) {
    throw new RangeError(`tensor "${t.name}" holds ${t.raw.byteLength} bytes for ${elementCount(t.dims)} elements`);
  }
  return new DataView(t.raw.buffer, t.raw.byteOffset, t.raw.byteLength);
}

/** Values of a floating-point tensor (float32, float16, double) as float32. */
export function floatValues(t: Tensor): Float32Array {
  const n = elementCount(t.dims);
  switch (t.dataType) {
    case DataType.FLOAT: {
      const view = rawView(t, 4);
      if (view) {
        const out = new Float32Array(n);
        for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
        return out;
      }
      return Float32Array.from(t.floatData ?? []);
    }
    case DataType.DOUBLE: {
      const view = rawView(t, 8);
      if (view) return Float32Array.from({ length: n }, (_, i) => view.getFloat64(i * 8, true));
      return Float32Array.from(t.doubleData ?? []);
    }
    case DataType.FLOAT16: {
      const view = rawView(t, 2);
      const bits = view ? Array.from({ length: n }, (_, i) => view.getUint16(i * 2, true)) : (t.int32Data ?? []);
      return Float32Array.from(bits, halfToFloat);
    }
    default:
      throw new TypeError(`tensor "${t.name}" is not floating point`);
  }
}

/** Values of an integer tensor (int64, int32, uint8, int8, bool...) as JS numbers. */
export function intValues(t: Tensor): number[] {
  const n = elementCount(t.dims);
  switch (t.dataType) {
    case DataType.INT64: {
      const view = rawView(t, 8);
      if (view) return Array.from({ length: n }, (_, i) => Number(view.getBigInt64(i * 8, true)));
      return [...(t.int64Data ?? [])];
    }
    case DataType.INT32:
    case DataType.INT16:
    case DataType.INT8:
    case DataType.UINT8:
    case DataType.UINT16:
    case DataType.BOOL: {
      const size = t.dataType === DataType.INT32 ? 4 : t.dataType === DataType.INT16 || t.dataType === DataType.UINT16 ? 2 : 1;
      const view = rawView(t, size);
      if (!view) return [...(t.int32Data ?? [])];
      return Array.from({ length: n }, (_, i) => {
        switch (t.dataType) {
          case DataType.INT32:
            return view.getInt32(i * 4, true);
          case DataType.INT16:
            return view.getInt16(i * 2, true);
          case DataType.UINT16:
            return view.getUint16(i * 2, true);
          case DataType.INT8:
            return view.getInt8(i);
          default:
            return view.getUint8(i);
        }
      });
    }
    case DataType.UINT64: {
      const view = rawView(t, 8);
      if (view) return Array.from({ length: n }, (_, i) => Number(view.getBigUint64(i * 8, true)));
      return [...(t.uint64Data ?? [])];
    }
    default:
      throw new TypeError(`tensor "${t.name}" is not an integer tensor`);
  }
}

export function floatTensor(name: string, dims: number[], values: ArrayLike<number>): Tensor {
  const data = Float32Array.from(values);
  return { name, dims, dataType: DataType.FLOAT, raw: new Uint8Array(data.buffer) };
}

export function int64Tensor(name: string, dims: number[], values: readonly number[]): Tensor {
  const data = BigInt64Array.from(values, (v) => BigInt(Math.trunc(v)));
  return { name, dims, dataType: DataType.INT64, raw: new Uint8Array(data.buffer) };
}

function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? Number.NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
