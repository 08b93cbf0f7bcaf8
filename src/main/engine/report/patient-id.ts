/**
 * Whether an image's name looks like it carries a patient identifier, so that an anonymised report
 * calls it "Image N" instead. The rules err on the side of privacy (a phone photo named by its date
 * is anonymised too); what they catch:
 * - DICOM UIDs and other dotted numeric identifiers (1.2.840.113619.2.55...);
 * - long digit runs: medical record, accession and national health numbers (6 or more digits);
 * - names with a full date in them (a date of birth: 1962-04-17, 17.04.1962, 04/17/1962, 19620417);
 * - identifier keywords followed by a number (MRN 4821, PID-77, patient_12, DOB...);
 * - US social security numbers (123-45-6789) and DICOM person names (DOE^JANE);
 * - digit-heavy names (at least 5 digits making up half or more of the letters and digits).
 */
export function looksLikePatientId(name: string): boolean {
  // The file name without folders and extension.
  const stem = (name.split(/[\\/]/).pop() ?? name).replace(/\.(png|jpe?g|tiff?|webp|dcm|dicom|bmp)$/i, '');
  if (stem.length === 0) return false;
  if (/(^|[^\d])\d+(\.\d+){3,}($|[^\d])/.test(stem)) return true;
  if (/\d{6,}/.test(stem)) return true;
  if (fullDate(stem)) return true;
  if (/(^|[^a-z])(mrn|pid|patient|pat|dob|acc|accession|nhs|ssn|id)[\s_#:.-]*\d/i.test(stem)) return true;
  if (/(^|\D)\d{3}-\d{2}-\d{4}($|\D)/.test(stem)) return true;
  if (/[A-Za-z]\^[A-Za-z]/.test(stem)) return true;
  const digits = (stem.match(/\d/g) ?? []).length;
  const alphanumerics = (stem.match(/[\p{L}\d]/gu) ?? []).length;
  return digits >= 5 && digits * 2 >= alphanumerics;
}

/** A full calendar date (year, month and day) written with separators, in any common order. */
function fullDate(text: string): boolean {
  const year = '(19|20)\\d{2}';
  const month = '(0?[1-9]|1[0-2])';
  const day = '(0?[1-9]|[12]\\d|3[01])';
  const sep = '[-_./ ]';
  const patterns = [`${year}${sep}${month}${sep}${day}`, `${day}${sep}${month}${sep}${year}`, `${month}${sep}${day}${sep}${year}`];
  return patterns.some((p) => new RegExp(`(^|\\D)${p}($|\\D)`).test(text));
}
