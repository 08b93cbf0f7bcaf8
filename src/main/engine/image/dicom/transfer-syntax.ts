/** How the pixel data of a transfer syntax is encoded, and so which decoder reads it. */
export type PixelEncoding = 'native' | 'rle' | 'jpeg-baseline' | 'jpeg-extended' | 'jpeg-lossless' | 'jpeg-ls' | 'jpeg-2000' | 'unsupported';

interface TransferSyntax {
  name: string;
  encoding: PixelEncoding;
}

/** The transfer syntaxes Lumen knows by name (PS3.6 Annex A), and how each one's pixels are decoded. */
const transferSyntaxes: Record<string, TransferSyntax> = {
  '1.2.840.10008.1.2': { name: 'Implicit VR Little Endian', encoding: 'native' },
  '1.2.840.10008.1.2.1': { name: 'Explicit VR Little Endian', encoding: 'native' },
  '1.2.840.10008.1.2.1.99': { name: 'Deflated Explicit VR Little Endian', encoding: 'native' },
  '1.2.840.10008.1.2.2': { name: 'Explicit VR Big Endian', encoding: 'native' },
  '1.2.840.10008.1.2.5': { name: 'RLE Lossless', encoding: 'rle' },
  '1.2.840.10008.1.2.4.50': { name: 'JPEG Baseline (Process 1)', encoding: 'jpeg-baseline' },
  '1.2.840.10008.1.2.4.51': { name: 'JPEG Extended (Process 2 & 4)', encoding: 'jpeg-extended' },
  '1.2.840.10008.1.2.4.57': { name: 'JPEG Lossless, Non-Hierarchical (Process 14)', encoding: 'jpeg-lossless' },
  '1.2.840.10008.1.2.4.70': { name: 'JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14, SV1)', encoding: 'jpeg-lossless' },
  '1.2.840.10008.1.2.4.80': { name: 'JPEG-LS Lossless', encoding: 'jpeg-ls' },
  '1.2.840.10008.1.2.4.81': { name: 'JPEG-LS Near-Lossless', encoding: 'jpeg-ls' },
  '1.2.840.10008.1.2.4.90': { name: 'JPEG 2000 Lossless', encoding: 'jpeg-2000' },
  '1.2.840.10008.1.2.4.91': { name: 'JPEG 2000', encoding: 'jpeg-2000' },
  '1.2.840.10008.1.2.4.92': { name: 'JPEG 2000 Part 2 Multi-component Lossless', encoding: 'unsupported' },
  '1.2.840.10008.1.2.4.93': { name: 'JPEG 2000 Part 2 Multi-component', encoding: 'unsupported' },
  '1.2.840.10008.1.2.4.100': { name: 'MPEG2 Main Profile', encoding: 'unsupported' },
  '1.2.840.10008.1.2.4.101': { name: 'MPEG2 High Profile', encoding: 'unsupported' },
  '1.2.840.10008.1.2.4.102': { name: 'MPEG-4 AVC/H.264', encoding: 'unsupported' },
  '1.2.840.10008.1.2.4.103': { name: 'MPEG-4 AVC/H.264 BD-compatible', encoding: 'unsupported' },
  '1.2.840.10008.1.2.4.201': { name: 'High-Throughput JPEG 2000 Lossless', encoding: 'unsupported' },
  '1.2.840.10008.1.2.4.202': { name: 'High-Throughput JPEG 2000 RPCL Lossless', encoding: 'unsupported' },
  '1.2.840.10008.1.2.4.203': { name: 'High-Throughput JPEG 2000', encoding: 'unsupported' },
};

export const deflatedTransferSyntax = '1.2.840.10008.1.2.1.99';
export const bigEndianTransferSyntax = '1.2.840.10008.1.2.2';

/** The transfer syntax's name for messages ("JPEG 2000 (1.2.840.10008.1.2.4.91)"), the UID alone when unknown. */
export function transferSyntaxName(uid: string): string {
  const known = transferSyntaxes[uid];
  return known ? `${known.name} (${uid})` : `transfer syntax ${uid}`;
}

export function pixelEncoding(uid: string): PixelEncoding {
  return transferSyntaxes[uid]?.encoding ?? 'unsupported';
}
