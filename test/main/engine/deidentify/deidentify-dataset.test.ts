import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { basicProfile } from '../../../../src/main/engine/deidentify/confidentiality-profile';
import { deidentifyDataset } from '../../../../src/main/engine/deidentify/deidentify-dataset';
import { UidMapper } from '../../../../src/main/engine/deidentify/uid-mapper';
import { el, readDataset, textOf, type DicomDataset } from '../../../../src/main/engine/dicom-export/dicom-dataset';
import { repoRoot } from '../../../helpers/built-app';

const fixture = readDataset(new Uint8Array(readFileSync(join(repoRoot, 'test/fixtures/dicom-export/identifying.dcm')))).dataset;

describe('the Basic Application Level Confidentiality Profile (PS3.15 E.1)', () => {
  it('takes each attribute of the fixture through the action of Table E.1-1', () => {
    const { dataset, log } = deidentifyDataset(fixture, { uids: new UidMapper(), required: new Map([['00080023', 1]]) });
    // Z: present and empty.
    for (const tag of ['00100010', '00100020', '00100030', '00100040', '00080050', '00080020', '00080030', '00080090', '00200010']) {
      expect(dataset[tag], tag).toBeDefined();
      expect(dataset[tag]!.Value ?? [], tag).toEqual([]);
    }
    // X (and X/Z/D without an IOD need): gone.
    for (const tag of ['00101010', '00101000', '00101040', '00080080', '00080081', '00081070', '00081050', '00181000', '00081010', '00081030', '0008103E', '00204000', '00104000', '00080021', '00080022']) {
      expect(dataset[tag], `${tag} ${basicProfile.get(tag)?.name}`).toBeUndefined();
    }
    // Z/D for a Type 1 attribute of the IOD written: a dummy, not the original date.
    expect(textOf(dataset, '00080023')).toBe('20000101');
    // Private block removed whole (creator and element).
    expect(Object.keys(dataset).filter((t) => Number.parseInt(t.slice(0, 4), 16) % 2 === 1)).toEqual([]);
    expect(log.privateRemoved).toBe(2);
    // U: replaced by a 2.25 UID; the meaning of the data kept (SOP Class, pixels).
    for (const tag of ['0020000D', '0020000E', '00080018']) {
      expect(textOf(dataset, tag)).toMatch(/^2\.25\.\d{10,39}$/);
      expect(textOf(dataset, tag)).not.toBe(textOf(fixture, tag));
    }
    expect(textOf(dataset, '00080016')).toBe(textOf(fixture, '00080016'));
    expect(dataset['7FE00010']).toBe(fixture['7FE00010']);
    // What was done is recorded.
    expect(textOf(dataset, '00120062')).toBe('YES');
    expect(textOf(dataset, '00120063')).toMatch(/^DICOM PS3.15 Basic Profile, Lumen /);
    const method = (dataset['00120064']!.Value as DicomDataset[])[0]!;
    expect([textOf(method, '00080100'), textOf(method, '00080102')]).toEqual(['113100', 'DCM']);
    expect(log.removed).toContain('Institution Name');
    expect(log.emptied).toContain("Patient's Name");
  });

  it('X/Z/D keeps a Type 2 attribute empty and gives a Type 1 attribute a dummy', () => {
    const data: DicomDataset = { '00081070': el.person('OPERATOR^ANN'), '00181000': el.text('LO', 'SN-123') };
    const out = deidentifyDataset(data, { uids: new UidMapper(), required: new Map([['00081070', 2], ['00181000', 1]]) }).dataset;
    expect(out['00081070']!.Value).toEqual([]);
    expect(textOf(out, '00181000')).toBe('ANONYMOUS');
  });

  it('replaces UIDs consistently at every depth, so references still meet', () => {
    const uids = new UidMapper(new Uint8Array(32).fill(7));
    const source = '1.2.3.4.5';
    const a = deidentifyDataset({ '00080018': el.text('UI', source) }, { uids }).dataset;
    const b = deidentifyDataset({ '00082112': el.seq({ '00081150': el.text('UI', '1.2.840.10008.5.1.4.1.1.7'), '00081155': el.text('UI', source) }) }, { uids }).dataset;
    const reference = (b['00082112']!.Value as DicomDataset[])[0]!;
    expect(textOf(reference, '00081155')).toBe(textOf(a, '00080018'));
    // The SOP Class of the reference is not an instance identifier: kept.
    expect(textOf(reference, '00081150')).toBe('1.2.840.10008.5.1.4.1.1.7');
    // Another key (another session): another UID; the same key: the same.
    expect(new UidMapper(new Uint8Array(32).fill(8)).map(source)).not.toBe(uids.map(source));
    expect(new UidMapper(new Uint8Array(32).fill(7)).map(source)).toBe(uids.map(source));
  });

  it('removes overlays (60xx) and curves (50xx), and private attributes inside sequences', () => {
    const data: DicomDataset = {
      '60003000': el.bytes('OW', new Uint8Array(8)),
      '50003000': el.bytes('OB', new Uint8Array(2)),
      '00081140': el.seq({ '00091001': el.text('LO', 'PRIVATE'), '00081155': el.text('UI', '1.2.3') }),
    };
    const out = deidentifyDataset(data, { uids: new UidMapper() }).dataset;
    expect(Object.keys(out).filter((t) => /^(6000|5000)/.test(t))).toEqual([]);
    const item = (out['00081140']!.Value as DicomDataset[])[0]!;
    expect(Object.keys(item)).toEqual(['00081155']);
  });

  it('lists every attribute the issue names with the action of the standard', () => {
    const expected: Record<string, string> = {
      '00100010': 'Z', '00100020': 'Z', '00100030': 'Z', '00100040': 'Z', '00101010': 'X', '00080050': 'Z', '00080080': 'X/Z/D', '00080081': 'X',
      '00080090': 'Z', '00081050': 'X', '00081070': 'X/Z/D', '00181000': 'X/Z/D', '00080020': 'Z', '00080023': 'Z/D', '00080021': 'X/D', '0020000D': 'U', '00080018': 'U',
    };
    for (const [tag, action] of Object.entries(expected)) expect(basicProfile.get(tag)?.action, tag).toBe(action);
  });
});
