import { lumenVersion } from '../../../shared/version';
import { code, el, type DicomDataset, type DicomElement } from '../dicom-export/dicom-dataset';
import { basicProfile, basicProfileCode, cleanDescriptorsCode, type ProfileAction } from './confidentiality-profile';
import type { UidMapper } from './uid-mapper';

export interface DeidentifyOptions {
  uids: UidMapper;
  /**
   * Attributes the IOD being written needs present at the top level: Type 1 (a dummy value where
   * the profile would remove it) or Type 2 (present, possibly empty). The profile's compound
   * actions take the lighter choice only for these.
   */
  required?: ReadonlyMap<string, 1 | 2>;
  /**
   * The caller adds descriptions of its own, free of identifying content, after the profile ran
   * (PS3.15 E.3.5, Clean Descriptors Option): recorded in the method code sequence.
   */
  cleanDescriptors?: boolean;
}

/** What the profile did, by attribute name (for the export's summary and for tests). */
export interface DeidentifyLog {
  removed: string[];
  emptied: string[];
  replaced: string[];
  uidsReplaced: number;
  privateRemoved: number;
}

/** The single action an attribute gets once the compound actions are resolved. */
type Resolved = 'remove' | 'empty' | 'dummy' | 'uid' | 'keep-references';

/**
 * Applies the Basic Application Level Confidentiality Profile (PS3.15 E.1) to a data set, in
 * place of a copy: the actions of Table E.1-1 (confidentiality-profile.ts) at every depth,
 * private attributes and curve/overlay groups removed, UIDs replaced consistently through
 * `uids`; then records that it did so (Patient Identity Removed, De-identification Method and
 * its code, PS3.15 E.1.1). Attributes the table does not name are kept, as the profile says.
 */
export function deidentifyDataset(dataset: DicomDataset, options: DeidentifyOptions): { dataset: DicomDataset; log: DeidentifyLog } {
  const log: DeidentifyLog = { removed: [], emptied: [], replaced: [], uidsReplaced: 0, privateRemoved: 0 };
  const out = cleanLevel(dataset, options, options.required ?? new Map(), log);
  out['00120062'] = el.text('CS', 'YES');
  out['00120063'] = el.text('LO', `DICOM PS3.15 Basic Profile${options.cleanDescriptors ? ' + Clean Descriptors' : ''}, Lumen ${lumenVersion}`.slice(0, 64));
  out['00120064'] = el.seq(
    code(basicProfileCode.value, basicProfileCode.scheme, basicProfileCode.meaning),
    ...(options.cleanDescriptors ? [code(cleanDescriptorsCode.value, cleanDescriptorsCode.scheme, cleanDescriptorsCode.meaning)] : []),
  );
  return { dataset: sortByTag(out), log };
}

function cleanLevel(dataset: DicomDataset, options: DeidentifyOptions, required: ReadonlyMap<string, 1 | 2>, log: DeidentifyLog): DicomDataset {
  const out: DicomDataset = {};
  for (const [tag, element] of Object.entries(dataset)) {
    const group = Number.parseInt(tag.slice(0, 4), 16);
    if (group % 2 === 1) {
      log.privateRemoved++;
      continue;
    }
    // Curves (50xx) and overlays (60xx, which may hold burned-in text as graphics).
    if ((group & 0xff00) === 0x5000 || (group & 0xff00) === 0x6000) {
      log.removed.push(`(${tag.slice(0, 4)},${tag.slice(4)})`);
      continue;
    }
    const row = basicProfile.get(tag.toUpperCase());
    if (!row) {
      out[tag] = element.vr === 'SQ' ? { vr: 'SQ', Value: items(element).map((item) => cleanLevel(item, options, new Map(), log)) } : element;
      continue;
    }
    const action = resolve(row.action, element.vr, required.get(tag.toUpperCase()));
    switch (action) {
      case 'remove':
        log.removed.push(row.name);
        break;
      case 'empty':
        out[tag] = { vr: element.vr, Value: [] };
        log.emptied.push(row.name);
        break;
      case 'dummy':
        out[tag] = dummy(element);
        log.replaced.push(row.name);
        break;
      case 'uid':
        out[tag] = { vr: element.vr, Value: (element.Value ?? []).map((v) => options.uids.map(String(v))) };
        log.uidsReplaced += element.Value?.length ?? 0;
        break;
      case 'keep-references':
        out[tag] = { vr: 'SQ', Value: items(element).map((item) => cleanLevel(item, options, new Map(), log)) };
        break;
    }
  }
  return out;
}

function resolve(action: ProfileAction, vr: string, type: 1 | 2 | undefined): Resolved {
  switch (action) {
    case 'X':
      return 'remove';
    case 'Z':
      return 'empty';
    case 'D':
      return vr === 'SQ' ? (type === undefined ? 'remove' : 'empty') : 'dummy';
    case 'U':
      return 'uid';
    case 'X/Z':
      return type === undefined ? 'remove' : 'empty';
    case 'X/D':
      return type === undefined ? 'remove' : vr === 'SQ' ? 'empty' : 'dummy';
    case 'Z/D':
      return type === 1 && vr !== 'SQ' ? 'dummy' : 'empty';
    case 'X/Z/D':
      return type === undefined ? 'remove' : type === 1 && vr !== 'SQ' ? 'dummy' : 'empty';
    case 'X/Z/U*':
      return 'keep-references';
  }
}

/** A dummy value of the element's VR: says nothing, but is a valid, non-empty value. */
function dummy(element: DicomElement): DicomElement {
  const values: Record<string, unknown> = {
    DA: '20000101',
    TM: '000000',
    DT: '20000101000000',
    AS: '000Y',
    PN: { Alphabetic: 'ANONYMOUS' },
    DS: '0',
    IS: '0',
    US: 0,
    UL: 0,
    SS: 0,
    SL: 0,
    FL: 0,
    FD: 0,
  };
  return { vr: element.vr, Value: [element.vr in values ? values[element.vr] : 'ANONYMOUS'] };
}

function items(element: DicomElement): DicomDataset[] {
  return (element.Value ?? []).filter((v): v is DicomDataset => typeof v === 'object' && v !== null) as DicomDataset[];
}

/** Elements in ascending tag order (how a data set is encoded). */
export function sortByTag(dataset: DicomDataset): DicomDataset {
  return Object.fromEntries(Object.entries(dataset).sort(([a], [b]) => (a.toUpperCase() < b.toUpperCase() ? -1 : a.toUpperCase() > b.toUpperCase() ? 1 : 0)));
}
