import type { DataSet } from 'dicom-parser';
import type { VoiLutTable } from './dicom-types';

/**
 * One LUT item of a VOI LUT Sequence or a Modality LUT Sequence (PS3.3 C.11.1, C.11.2): LUT
 * Descriptor (entries, 0 meaning 65536; first stored value mapped, signed when the pixels are;
 * bits per entry), LUT Data and LUT Explanation. Returns the table, or why it cannot be used.
 */
export function readLutTable(item: DataSet | undefined, signed: boolean, label: string): VoiLutTable | string {
  const descriptor = item?.elements.x00283002;
  const data = item?.elements.x00283006;
  if (!item || !descriptor || !data) return `${label} lacks its LUT Descriptor or LUT Data`;
  const entries = item.uint16('x00283002', 0) || 65536;
  const rawFirst = item.uint16('x00283002', 1) ?? 0;
  const firstMapped = signed && rawFirst >= 0x8000 ? rawFirst - 0x10000 : rawFirst;
  const bits = item.uint16('x00283002', 2) ?? 0;
  if (bits < 8 || bits > 16) return `${label} declares ${bits}-bit entries (8 to 16 expected)`;
  const values = new Uint16Array(entries);
  const bytes = item.byteArray;
  if (data.length >= entries * 2) {
    for (let i = 0; i < entries; i++) values[i] = item.byteArrayParser.readUint16(bytes, data.dataOffset + 2 * i);
  } else if (bits === 8 && data.length >= entries) {
    for (let i = 0; i < entries; i++) values[i] = bytes[data.dataOffset + i]!; // 8-bit entries packed two to a word
  } else {
    return `${label} has ${data.length} bytes of LUT Data for ${entries} entries`;
  }
  const max = 2 ** bits - 1;
  for (let i = 0; i < entries; i++) if (values[i]! > max) return `${label} holds the value ${values[i]} in ${bits}-bit entries`;
  const explanation = item.string('x00283003')?.trim();
  return explanation ? { firstMapped, bits, data: values, explanation } : { firstMapped, bits, data: values };
}

/** The entry a stored value maps to: the first entry below the table, the last above it. */
export function lookUp(table: VoiLutTable, value: number): number {
  const k = Math.round(value) - table.firstMapped;
  const last = table.data.length - 1;
  return table.data[k < 0 ? 0 : k > last ? last : k]!;
}
