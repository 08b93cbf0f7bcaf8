import { createRequire } from 'node:module';

/** What the Cornerstone codec decoders (JPEGDecoder, JpegLSDecoder, J2KDecoder) share. */
interface EmscriptenDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getDecodedBuffer(): Uint8Array;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned: boolean };
  delete(): void;
}

type DecoderClass = new () => EmscriptenDecoder;

/** One decoded codestream: samples interleaved by pixel, as the codec delivers them. */
export interface CodecOutput {
  width: number;
  height: number;
  components: number;
  bitsPerSample: number;
  /** Samples, 8-bit or 16-bit by `bitsPerSample` (the codec's signedness folded into two's complement bits). */
  samples: Uint8Array | Uint16Array;
}

/**
 * The packages' `exports` maps "./decodewasmjs" to their decoder-only WebAssembly build, a
 * CommonJS module that reads its .wasm beside itself (Emscripten's Node path). Loaded with
 * createRequire so that it works the same from vitest, the esbuild CLI bundle and electron-vite's
 * main bundle (all keep packages external); loaded once, on the first file that needs it.
 */
const require = createRequire(import.meta.url);
const modules = new Map<string, Promise<Record<string, unknown>>>();

function loadModule(specifier: string): Promise<Record<string, unknown>> {
  let loading = modules.get(specifier);
  if (!loading) {
    const factory = require(specifier) as (options?: object) => Promise<Record<string, unknown>>;
    loading = factory({ print: () => {}, printErr: () => {} });
    modules.set(specifier, loading);
  }
  return loading;
}

/** Decodes one codestream with a Cornerstone WebAssembly decoder class (e.g. 'J2KDecoder'). */
export async function decodeWithWasm(specifier: string, className: string, encoded: Uint8Array): Promise<CodecOutput> {
  const module = await loadModule(specifier);
  const Decoder = module[className] as DecoderClass;
  const decoder = new Decoder();
  try {
    return readDecoded(decoder, encoded);
  } catch (error) {
    // A codec that aborts (a damaged codestream can make it) is unusable afterwards: the next file gets a fresh instance.
    modules.delete(specifier);
    throw error;
  } finally {
    try {
      decoder.delete();
    } catch {
      // an aborted module cannot free; it is dropped whole
    }
  }
}

function readDecoded(decoder: EmscriptenDecoder, encoded: Uint8Array): CodecOutput {
  decoder.getEncodedBuffer(encoded.length).set(encoded);
  decoder.decode();
  const info = decoder.getFrameInfo();
  // The decoded buffer is a view into the WebAssembly heap: copy it out before the decoder is freed.
  const bytes = decoder.getDecodedBuffer().slice();
  const samples = info.bitsPerSample > 8 ? new Uint16Array(bytes.buffer, 0, bytes.byteLength >> 1) : bytes;
  return { width: info.width, height: info.height, components: info.componentCount, bitsPerSample: info.bitsPerSample, samples };
}
