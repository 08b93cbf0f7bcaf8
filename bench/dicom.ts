/**
 * Opening a 2048 x 2048, 12-bit radiograph stored as DICOM (uncompressed, JPEG 2000 lossless,
 * JPEG lossless SV1) through to the model's input tensor: parse, decode, window (VOI), then crop,
 * resize and normalise for the bundled model's card. Baseline from the same run: an 8-bit PNG of
 * the same image through the same path (libvips decode, resize, normalise).
 *
 * The files are made at run time in a temporary folder (nothing large is committed): the pixels
 * from Lumen's sample grace_hopper.png, the uncompressed DICOM written here, the compressed ones
 * by GDCM's gdcmconv (needs GDCM's tools: apt-get install libgdcm-tools). CPU time (all of the
 * process's threads, libvips's included) is printed beside wall time: on a busy machine it is the
 * steadier number.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { createApi } from '../src/shared/contract/api';
import { PortTransport } from '../src/shared/contract/port-transport';
import { localEnginePort } from '../src/main/engine-host/local-engine';
import { inspectImage } from '../src/main/engine/image/image-source';
import { preprocess } from '../src/main/engine/image/preprocess';
import { summarize, time } from './stats';

const side = 2048;

export async function benchDicom(repeats = 7): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lumen-bench-dicom-'));
  const local = localEnginePort();
  try {
    const gray8 = await sharp('resources/samples/grace_hopper.png').resize(side, side, { fit: 'cover' }).greyscale().raw().toBuffer();
    // 12 bits stored: the 8-bit gray spread over 0..4095 plus a smooth ramp, so low bits vary.
    const stored = new Uint16Array(side * side);
    for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) stored[y * side + x] = Math.min(4095, gray8[y * side + x]! * 15 + ((x + y) >> 6));
    const files: Array<[string, string]> = [['PNG, 8-bit (baseline)', join(dir, 'radiograph.png')]];
    writeFileSync(files[0]![1], await sharp(gray8, { raw: { width: side, height: side, channels: 1 } }).png().toBuffer());
    const raw = join(dir, 'radiograph.dcm');
    writeFileSync(raw, radiographDicom(stored));
    files.push(['DICOM uncompressed, 16-bit', raw]);
    execFileSync('gdcmconv', ['--j2k', raw, join(dir, 'j2k.dcm')]);
    files.push(['DICOM JPEG 2000 lossless', join(dir, 'j2k.dcm')]);
    execFileSync('gdcmconv', ['--jpeg', raw, join(dir, 'jpegll.dcm')]);
    files.push(['DICOM JPEG lossless (SV1)', join(dir, 'jpegll.dcm')]);

    const api = createApi(new PortTransport(local.port));
    const model = await api.call('models.open', { executionProvider: 'cpu' });
    const card = local.engine.models.get(model.id).resolved.card;

    console.log(`DICOM: open + decode + window + preprocess (${card.input.width} x ${card.input.height}) of a ${side} x ${side} radiograph, median of ${repeats}:`);
    let baseline = 0;
    for (const [label, path] of files) {
      const bytes = new Uint8Array(readFileSync(path));
      const open: number[] = [];
      const prep: number[] = [];
      const cpu: number[] = [];
      const total = await time(
        async () => {
          const c0 = process.cpuUsage();
          const t0 = performance.now();
          const source = await inspectImage(bytes, label);
          const t1 = performance.now();
          await preprocess(source, card);
          open.push(t1 - t0);
          prep.push(performance.now() - t1);
          const c = process.cpuUsage(c0);
          cpu.push((c.user + c.system) / 1000);
        },
        repeats,
        2,
      );
      const median = summarize(total).median;
      if (baseline === 0) baseline = median;
      const part = (xs: number[]): string => summarize(xs.slice(-repeats)).median.toFixed(0);
      console.log(
        `  ${label.padEnd(30)} ${(bytes.length / 1024 / 1024).toFixed(2).padStart(5)} MiB  ${median.toFixed(0).padStart(5)} ms  (open/decode/window ${part(open)} ms, resample+normalise ${part(prep)} ms; CPU ${part(cpu)} ms)  x${(median / baseline).toFixed(2)} of PNG`,
      );
    }
  } finally {
    await local.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A minimal DICOM Part 10 file (explicit VR little endian, CR image, 12 of 16 bits, one window). */
function radiographDicom(stored: Uint16Array): Uint8Array {
  const chunks: Buffer[] = [];
  const element = (group: number, elem: number, vr: string, value: Buffer): void => {
    const padded = value.length % 2 === 0 ? value : Buffer.concat([value, Buffer.from(vr === 'UI' || vr === 'OB' ? [0] : [0x20])]);
    const long = ['OB', 'OW', 'SQ', 'UN', 'UT'].includes(vr);
    const header = Buffer.alloc(long ? 12 : 8);
    header.writeUInt16LE(group, 0);
    header.writeUInt16LE(elem, 2);
    header.write(vr, 4, 'latin1');
    if (long) header.writeUInt32LE(padded.length, 8);
    else header.writeUInt16LE(padded.length, 6);
    chunks.push(header, padded);
  };
  const text = (s: string): Buffer => Buffer.from(s, 'latin1');
  const us = (n: number): Buffer => Buffer.from(new Uint16Array([n]).buffer);
  const sop = '1.2.840.10008.5.1.4.1.1.1'; // Computed Radiography Image Storage
  const instance = '2.25.1234567890123456789012345678901234';
  const meta: Buffer[] = [];
  element(0x0002, 0x0001, 'OB', Buffer.from([0, 1]));
  element(0x0002, 0x0002, 'UI', text(sop));
  element(0x0002, 0x0003, 'UI', text(instance));
  element(0x0002, 0x0010, 'UI', text('1.2.840.10008.1.2.1'));
  meta.push(...chunks.splice(0));
  const metaBytes = Buffer.concat(meta);
  element(0x0008, 0x0016, 'UI', text(sop));
  element(0x0008, 0x0018, 'UI', text(instance));
  element(0x0008, 0x0060, 'CS', text('CR'));
  element(0x0010, 0x0010, 'PN', text('BENCH^RADIOGRAPH'));
  element(0x0020, 0x000d, 'UI', text('2.25.1'));
  element(0x0020, 0x000e, 'UI', text('2.25.2'));
  element(0x0028, 0x0002, 'US', us(1));
  element(0x0028, 0x0004, 'CS', text('MONOCHROME2'));
  element(0x0028, 0x0010, 'US', us(side));
  element(0x0028, 0x0011, 'US', us(side));
  element(0x0028, 0x0100, 'US', us(16));
  element(0x0028, 0x0101, 'US', us(12));
  element(0x0028, 0x0102, 'US', us(11));
  element(0x0028, 0x0103, 'US', us(0));
  element(0x0028, 0x1050, 'DS', text('2048'));
  element(0x0028, 0x1051, 'DS', text('4096'));
  element(0x7fe0, 0x0010, 'OW', Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength));
  const groupLength = Buffer.alloc(12);
  groupLength.writeUInt16LE(0x0002, 0);
  groupLength.writeUInt16LE(0x0000, 2);
  groupLength.write('UL', 4, 'latin1');
  groupLength.writeUInt16LE(4, 6);
  groupLength.writeUInt32LE(metaBytes.length, 8);
  return Buffer.concat([Buffer.alloc(128), text('DICM'), groupLength, metaBytes, ...chunks]);
}
