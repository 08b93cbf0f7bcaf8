/**
 * The part of dcmjs (which ships no types) that Lumen's DICOM writer uses: reading a Part 10 file
 * into a data set keyed by tag, and writing one back. Elements are `{ vr, Value }` with the values
 * as dcmjs holds them (strings, numbers, `{ Alphabetic }` person names, ArrayBuffers for bulk data,
 * nested data sets for sequence items).
 */
declare module 'dcmjs' {
  interface DcmjsElement {
    vr: string;
    Value?: unknown[];
  }
  type DcmjsDataset = Record<string, DcmjsElement>;

  class DicomDict {
    constructor(meta: DcmjsDataset);
    meta: DcmjsDataset;
    dict: DcmjsDataset;
    write(options?: { allowInvalidVRLength?: boolean; fragmentMultiframe?: boolean }): ArrayBuffer;
  }

  const dcmjs: {
    data: {
      DicomDict: typeof DicomDict;
      DicomMessage: {
        readFile(buffer: ArrayBuffer, options?: { ignoreErrors?: boolean; untilTag?: string; includeUntilTagValue?: boolean; noCopy?: boolean }): DicomDict;
      };
      DicomMetaDictionary: {
        naturalizeDataset(dataset: DcmjsDataset): Record<string, unknown>;
        denaturalizeDataset(dataset: Record<string, unknown>): DcmjsDataset;
      };
    };
    log: { level: number; setLevel?(level: string): void; disableAll?(): void };
  };
  export default dcmjs;
}
