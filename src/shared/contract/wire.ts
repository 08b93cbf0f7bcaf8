/**
 * The bridge's framing: envelopes without binary data travel as JSON text; envelopes that carry
 * typed arrays travel as one binary frame, so a heat map or an image never becomes a JSON list.
 *
 * Binary frame: "LMN1" | u32 JSON length | JSON | padding | array bytes (8-byte aligned).
 * In the JSON each typed array is replaced by {"$bin": type, "$offset": byte offset, "$bytes": n}.
 */

const magic = 0x314e4d4c; // "LMN1" read as a little-endian u32

const constructors = {
  Uint8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
} as const;
type TypedName = keyof typeof constructors;
type Typed = InstanceType<(typeof constructors)[TypedName]>;

interface Marker {
  $bin: TypedName;
  $offset: number;
  $bytes: number;
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

function typedName(value: unknown): TypedName | null {
  if (!ArrayBuffer.isView(value) || value instanceof DataView) return null;
  const name = value.constructor.name;
  return name in constructors ? (name as TypedName) : null;
}

export class FrameError extends Error {}

export function encodeFrame(value: unknown): string | Uint8Array {
  const blobs: Typed[] = [];
  const markers: Marker[] = [];
  const json = JSON.stringify(value, (_key, v: unknown) => {
    const name = typedName(v);
    if (name === null) return v;
    const marker: Marker = { $bin: name, $offset: 0, $bytes: (v as Typed).byteLength };
    blobs.push(v as Typed);
    markers.push(marker);
    return marker;
  });
  if (blobs.length === 0) return json;
  // Offsets are only known once the header's length is: patch them in, then re-serialise. The
  // patched numbers may lengthen the header, so reserve room by computing offsets from a bound.
  const bound = align8(8 + new TextEncoder().encode(json).length + markers.length * 24);
  let at = bound;
  for (const m of markers) {
    m.$offset = at;
    at = align8(at + m.$bytes);
  }
  const finalJson = JSON.stringify(value, (_key, v: unknown) => {
    const name = typedName(v);
    if (name === null) return v;
    return markers[blobs.indexOf(v as Typed)];
  });
  const header = new TextEncoder().encode(finalJson);
  if (8 + header.length > bound) throw new FrameError('frame header overflow');
  const out = new Uint8Array(at);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic, true);
  view.setUint32(4, header.length, true);
  out.set(header, 8);
  blobs.forEach((b, i) => out.set(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), markers[i]!.$offset));
  return out;
}

export function decodeFrame(frame: string | ArrayBuffer | Uint8Array): unknown {
  if (typeof frame === 'string') {
    try {
      return JSON.parse(frame);
    } catch {
      throw new FrameError('text frame is not JSON');
    }
  }
  const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  if (bytes.byteLength < 8) throw new FrameError('binary frame too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== magic) throw new FrameError('binary frame lacks the LMN1 header');
  const headerLength = view.getUint32(4, true);
  if (8 + headerLength > bytes.byteLength) throw new FrameError('binary frame truncated');
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch {
    throw new FrameError('binary frame header is not JSON');
  }
  const restore = (v: unknown): unknown => {
    if (isMarker(v)) {
      const ctor = constructors[v.$bin];
      const end = v.$offset + v.$bytes;
      if (v.$offset < 8 + headerLength || end > bytes.byteLength || v.$bytes % ctor.BYTES_PER_ELEMENT !== 0) {
        throw new FrameError('binary frame array out of bounds');
      }
      // A copy, so the array owns an aligned buffer and outlives the frame.
      const copy = bytes.slice(v.$offset, end);
      return new ctor(copy.buffer, 0, v.$bytes / ctor.BYTES_PER_ELEMENT);
    }
    if (Array.isArray(v)) return v.map(restore);
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, c] of Object.entries(v)) out[k] = restore(c);
      return out;
    }
    return v;
  };
  return restore(header);
}

function isMarker(v: unknown): v is Marker {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Partial<Record<keyof Marker, unknown>>;
  return typeof m.$bin === 'string' && m.$bin in constructors && typeof m.$offset === 'number' && typeof m.$bytes === 'number';
}
