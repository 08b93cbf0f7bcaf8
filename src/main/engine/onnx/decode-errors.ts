import { ScalarType, fromBinary, type DescField, type DescMessage } from '@bufbuild/protobuf';
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { quote } from './quote';
import { ModelProtoSchema } from './schema/onnx_pb';

/**
 * Why bytes did not decode as an ONNX model: `not-onnx` when they are not a ModelProto at all (an
 * image, a random file, a protobuf of another schema), `truncated` when an ONNX file ends inside
 * one of its parts, `corrupt` when a part of one cannot be read. `part` names where, in words.
 */
export class ModelDecodeError extends Error {
  constructor(
    readonly kind: 'not-onnx' | 'truncated' | 'corrupt',
    readonly detail: string,
    readonly part?: string,
  ) {
    super(part ? `${kind}: ${part}: ${detail}` : `${kind}: ${detail}`);
    this.name = 'ModelDecodeError';
  }
}

/** What a walk over one message's fields found: the first field that could not be read, if any. */
interface Walk {
  /** Did the walk see fields only a ModelProto has (ir_version as a varint, a graph)? */
  onnxLike: boolean;
  failure?: { fieldNo: number; index: number; truncated: boolean; detail: string; inner?: Uint8Array };
}

/**
 * Finds where bytes that failed to decode as a ModelProto went wrong, walking the fields of the
 * model, then of the failing part (the graph, a node, an initializer), so that the error can name
 * it. Bytes that show nothing of a ModelProto before the failure are `not-onnx`.
 */
export function locateDamage(bytes: Uint8Array): ModelDecodeError {
  const top = walk(bytes, ModelProtoSchema, true);
  // Not one word from the decoder: its text quotes numbers read from the bytes ("illegal tag:
  // field no 13 wire type 7"), and a file that is not ONNX may be anything (a key, a password file).
  if (!top.onnxLike || !top.failure) return new ModelDecodeError('not-onnx', 'nothing in it reads as an ONNX ModelProto');
  const path: string[] = [];
  let schema: DescMessage = ModelProtoSchema;
  let failure = top.failure;
  // Descend while the failing field is a message whose own fields show the failure.
  for (let depth = 0; depth < 8; depth++) {
    const field = schema.fields.find((f) => f.number === failure.fieldNo);
    path.push(describeField(schema, failure.fieldNo, failure.index, failure.inner));
    if (!field || field.message === undefined || failure.inner === undefined) break;
    const innerWalk = walk(failure.inner, field.message, failure.truncated);
    if (!innerWalk.failure) break;
    schema = field.message;
    failure = innerWalk.failure;
  }
  const part = path.join(' > ');
  return new ModelDecodeError(failure.truncated ? 'truncated' : 'corrupt', failure.detail, part);
}

/**
 * Reads the fields of one message without decoding them; stops at the first that cannot be read.
 * Running out of bytes is truncation only where the message runs to the end of the file.
 */
function walk(bytes: Uint8Array, schema: DescMessage, atFileEnd: boolean): Walk {
  const reader = new BinaryReader(bytes);
  const seen = new Map<number, number>();
  const nested: Array<{ fieldNo: number; index: number; data: Uint8Array }> = [];
  let onnxLike = false;
  let irFirst = false;
  while (reader.pos < reader.len) {
    let fieldNo = 0;
    let wireType: WireType;
    const index = (no: number): number => seen.get(no) ?? 0;
    try {
      [fieldNo, wireType] = reader.tag();
    } catch (error) {
      return { onnxLike, failure: { fieldNo, index: 0, truncated: atFileEnd && reader.pos >= reader.len, detail: inWords(error) } };
    }
    if (wireType === WireType.StartGroup || wireType === WireType.EndGroup) {
      return { onnxLike, failure: { fieldNo, index: index(fieldNo), truncated: false, detail: `field ${fieldNo} has wire type ${wireType}, which ONNX never uses` } };
    }
    const field = schema.fields.find((f) => f.number === fieldNo);
    if (field && !wireTypesOf(field).includes(wireType)) {
      return { onnxLike, failure: { fieldNo, index: index(fieldNo), truncated: false, detail: `${field.name} has wire type ${wireType}, not ${wireTypesOf(field).join(' or ')}` } };
    }
    if (irFirst && seen.size === 1 && [2, 3, 7, 8].includes(fieldNo)) onnxLike = true;
    if (wireType === WireType.LengthDelimited) {
      let length: number;
      try {
        length = reader.uint32();
      } catch (error) {
        return { onnxLike, failure: { fieldNo, index: index(fieldNo), truncated: atFileEnd && reader.pos >= reader.len, detail: inWords(error) } };
      }
      const start = reader.pos;
      if (start + length > reader.len) {
        const have = reader.len - start;
        return {
          onnxLike: onnxLike || (schema === ModelProtoSchema && fieldNo === 7),
          failure: {
            fieldNo,
            index: index(fieldNo),
            truncated: atFileEnd,
            detail: atFileEnd ? `the file ends ${length - have} bytes early (${have} of ${length} bytes are there)` : `a length of ${length} bytes runs past the end of its ${schema.name} (${have} bytes left)`,
            inner: bytes.subarray(start),
          },
        };
      }
      reader.pos = start + length;
      if (schema === ModelProtoSchema && fieldNo === 7) onnxLike = true;
      nested.push({ fieldNo, index: index(fieldNo), data: bytes.subarray(start, start + length) });
      seen.set(fieldNo, index(fieldNo) + 1);
      continue;
    }
    try {
      reader.skip(wireType, fieldNo);
    } catch (error) {
      return { onnxLike, failure: { fieldNo, index: index(fieldNo), truncated: atFileEnd && reader.pos >= reader.len, detail: inWords(error) } };
    }
    // A ModelProto starts with its IR version, then the producer or the operator sets.
    if (schema === ModelProtoSchema && fieldNo === 1 && seen.size === 0) irFirst = true;
    seen.set(fieldNo, index(fieldNo) + 1);
  }
  // Every field is readable at this level: the failure is inside one of the messages. Find which.
  const failure = innerFailure(schema, nested);
  return failure ? { onnxLike, failure } : { onnxLike };
}

/** The first nested message whose content does not decode as the message its field declares. */
function innerFailure(schema: DescMessage, nested: Array<{ fieldNo: number; index: number; data: Uint8Array }>): Walk['failure'] {
  for (const { fieldNo, index, data } of nested) {
    const field = schema.fields.find((f) => f.number === fieldNo);
    if (field?.message === undefined) continue;
    try {
      fromBinary(field.message, data);
    } catch (error) {
      return { fieldNo, index, truncated: false, detail: inWords(error), inner: data };
    }
  }
  return undefined;
}

/** The wire types a field may arrive with (repeated numbers packed or not). */
function wireTypesOf(field: DescField): WireType[] {
  if (field.fieldKind === 'message' || field.fieldKind === 'map') return [WireType.LengthDelimited];
  if (field.fieldKind === 'list' && field.listKind === 'message') return [WireType.LengthDelimited];
  const scalar = field.fieldKind === 'enum' || (field.fieldKind === 'list' && field.listKind === 'enum') ? ScalarType.INT32 : field.scalar!;
  const single = scalarWireType(scalar);
  return field.fieldKind === 'list' && single !== WireType.LengthDelimited ? [single, WireType.LengthDelimited] : [single];
}

function scalarWireType(scalar: ScalarType): WireType {
  switch (scalar) {
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return WireType.LengthDelimited;
    case ScalarType.DOUBLE:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return WireType.Bit64;
    case ScalarType.FLOAT:
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
      return WireType.Bit32;
    default:
      return WireType.Varint;
  }
}

/**
 * What the protobuf decoder's error means, in Lumen's words. Its own text quotes values read from
 * the file (field numbers, wire types), which an error must never echo: each is mapped to a fixed
 * phrase, and anything unforeseen to a generic one.
 */
function inWords(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (text.startsWith('illegal tag: varint overflows')) return 'a field tag is longer than protobuf allows';
  if (text.startsWith('illegal tag')) return 'a field tag is not valid protobuf';
  if (text.includes('premature EOF')) return 'a value runs past the end of its data';
  if (text.includes('invalid varint')) return 'a number is not a valid varint';
  if (text.includes('recursion depth')) return 'messages are nested deeper than an ONNX model nests them';
  if (text.includes('end group tag') || text.includes('skip wire type')) return 'a field has a wire type ONNX never uses';
  if (error instanceof TypeError && /utf-?8/i.test(text)) return 'a text field is not valid UTF-8';
  return 'its protobuf encoding cannot be read';
}

/** "the graph", "initializer 12 ("conv1.weight")", "node 3 ("/conv/Conv")": a field in words. */
function describeField(schema: DescMessage, fieldNo: number, index: number, inner: Uint8Array | undefined): string {
  const field = schema.fields.find((f) => f.number === fieldNo);
  if (fieldNo === 0) return `an unreadable field of ${schema.name}`;
  if (!field) return `field ${fieldNo} of ${schema.name}`;
  const name = field.name;
  if (field.fieldKind !== 'list') return name === 'graph' ? 'the graph' : name;
  const label = inner && field.message ? nameIn(field.message, inner) : undefined;
  return `${name} ${index + 1}${label !== undefined ? ` (${quote(label)})` : ''}`;
}

/** The name of a (possibly cut-short) message, when its name field can be read. */
function nameIn(schema: DescMessage, bytes: Uint8Array): string | undefined {
  const field = schema.fields.find((f) => f.localName === 'name' && f.fieldKind === 'scalar');
  if (!field) return undefined;
  const reader = new BinaryReader(bytes);
  try {
    while (reader.pos < reader.len) {
      const [no, wire] = reader.tag();
      if (no === field.number && wire === WireType.LengthDelimited) return reader.string();
      reader.skip(wire, no);
    }
  } catch {
    // Cut short before the name.
  }
  return undefined;
}
