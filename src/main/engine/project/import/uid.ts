/**
 * Whether a text looks like a DICOM UID (PS3.5 9.1): dot-separated decimal components, at most 64
 * characters. Lenient about leading zeros in a component, which real (if non-conformant) UIDs
 * have, so that a label CSV of such UIDs is still recognised as keyed by UID.
 */
export function looksLikeUid(text: string): boolean {
  return text.length <= 64 && /^\d+(\.\d+)+$/.test(text);
}
