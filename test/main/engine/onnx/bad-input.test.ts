import { readFileSync } from 'node:fs';
import { create, toBinary } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LumenError } from '../../../../src/shared/errors';
import { readOnnxModel } from '../../../../src/main/engine/onnx/read-model';
import { NodeProtoSchema, TensorProtoSchema } from '../../../../src/main/engine/onnx/schema/onnx_pb';
import { failure } from '../../../helpers/failure';
import { tempDir } from '../../../helpers/tiny-models';

const root = new URL('../../../../', import.meta.url);
const bundled = new Uint8Array(readFileSync(new URL('resources/models/mobilenet_v2_1.0_224/model.onnx', root)));
const vit = new Uint8Array(readFileSync(new URL('test/fixtures/models/vit/model.onnx', root)));

/** The error opening these bytes gives: a LumenError with a one-line message. */
async function openError(bytes: Uint8Array, name = 'model.onnx'): Promise<LumenError> {
  const error = await failure(readOnnxModel(bytes, name, tempDir()));
  expect(error.describe()).not.toMatch(/\n/);
  expect(error.describe()).not.toMatch(/bug in Lumen/);
  return error;
}

describe('files that are not ONNX models', () => {
  it.each<[string, Uint8Array]>([
    ['a PNG image', new Uint8Array(readFileSync(new URL('resources/samples/coffee.png', root)))],
    ['text', new TextEncoder().encode('name,label\ncat.png,cat\n')],
    ['random bytes', Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24)],
    ['an empty file', new Uint8Array(0)],
    ['a protobuf of another message (a NodeProto)', toBinary(NodeProtoSchema, create(NodeProtoSchema, { input: ['a'], output: ['b'], opType: 'Relu', name: 'relu' }))],
    ['a protobuf of another message (a TensorProto)', toBinary(TensorProtoSchema, create(TensorProtoSchema, { dims: [3n, 4n], dataType: 1, name: 'w', rawData: new Uint8Array(48) }))],
  ])('%s is "not an ONNX model"', async (_what, bytes) => {
    const error = await openError(bytes, 'upload.onnx');
    expect(error.code).toBe('invalid-model');
    expect(error.message).toMatch(/^upload\.onnx is not an ONNX model \(/);
  });
});

/** What @bufbuild/protobuf's own errors say; they quote values read from the file's bytes. */
const decoderText = /illegal tag|field no|wire type \d|premature EOF|invalid varint|cant skip|end group tag|recursion depth/;

describe('the message for a file that is not ONNX echoes nothing derived from its bytes', () => {
  it('bytes the decoder calls "illegal tag: field no 13 wire type 7" get Lumen\'s fixed sentence and the remedy', async () => {
    // 0x6f is field 13 with wire type 7, which protobuf does not define: the decoder quotes both.
    const error = await openError(Uint8Array.from([0x6f, 0x01, 0x02]), 'passwd.onnx');
    expect(error.message).toBe('passwd.onnx is not an ONNX model (nothing in it reads as an ONNX ModelProto).');
    expect(error.hint).toMatch(/\.onnx file.*download it again/);
  });

  it('any bytes: a file called not ONNX gets one of Lumen\'s fixed sentences, and no message quotes the decoder', async () => {
    const fixed = /^upload\.onnx is not an ONNX model \((nothing in it reads as an ONNX ModelProto|it has no graph|it has neither an IR version nor operator sets)\)\.$/;
    let notOnnx = 0;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 64 }), async (bytes) => {
        const error = await openError(bytes, 'upload.onnx');
        expect(error.message).not.toMatch(decoderText);
        if (/^upload\.onnx is not an ONNX model/.test(error.message)) {
          notOnnx++;
          expect(error.message).toMatch(fixed);
        }
      }),
      { numRuns: 300, seed: 17 },
    );
    expect(notOnnx).toBeGreaterThan(100);
  });

  it('an ONNX file with an unreadable field tag in its graph is damaged, in Lumen\'s words', async () => {
    // ir_version 5, then the graph (field 7) holding the undefined tag 0x6f.
    const error = await openError(Uint8Array.from([0x08, 0x05, 0x3a, 0x02, 0x6f, 0x01]));
    expect(error.message).toBe('model.onnx is damaged inside the graph > an unreadable field of GraphProto: a field tag is not valid protobuf.');
  });
});

describe('ONNX files that are truncated or damaged say so, and where', () => {
  it('a file cut inside a weight names the initializer', async () => {
    const error = await openError(bundled.subarray(0, Math.floor(bundled.length * 0.6)));
    expect(error.message).toMatch(/^model\.onnx is truncated inside the graph > initializer \d+ \("MobilenetV2[^"]*"\) > raw_data: the file ends \d+ bytes early \(\d+ of \d+ bytes are there\)\.$/);
    expect(error.hint).toMatch(/download the file again/);
  });

  it('a file cut inside the node list names the node', async () => {
    const error = await openError(vit.subarray(0, 300));
    expect(error.message).toMatch(/^model\.onnx is truncated inside the graph > node \d+/);
  });

  it('a length that runs past its message is damage, not truncation', async () => {
    // The first node's first input: its length prefix made larger than the node.
    const bytes = vit.slice();
    const nodeStart = findNodeInput(bytes);
    bytes[nodeStart + 1] = 0x7f;
    const error = await openError(bytes);
    expect(error.message).toMatch(/^model\.onnx is damaged inside the graph > node 1/);
  });
});

/** Where the first node's first input field (tag 0x0a inside the graph's first node) is. */
function findNodeInput(bytes: Uint8Array): number {
  // ModelProto: ... 0x3a (graph, field 7) len... then 0x0a (node, field 1) len, then 0x0a (input) len.
  const graphTag = bytes.indexOf(0x3a);
  let p = graphTag + 1;
  while (bytes[p]! & 0x80) p++;
  p++;
  expect(bytes[p]).toBe(0x0a); // the node
  p++;
  while (bytes[p]! & 0x80) p++;
  p++;
  expect(bytes[p]).toBe(0x0a); // its first input
  return p;
}
