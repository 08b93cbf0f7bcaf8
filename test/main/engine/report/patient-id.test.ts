import { describe, expect, it } from 'vitest';
import { ImageNames } from '../../../../src/main/engine/report/image-names';
import { looksLikePatientId } from '../../../../src/main/engine/report/patient-id';

describe('looksLikePatientId', () => {
  it.each([
    'MRN-0048213.png',
    'mrn_4821.dcm',
    'PID 77.jpg',
    'patient12_cxr.png',
    '1.2.840.113619.2.55.3.604688119.969.1268071029.320.png',
    '00123456.png',
    '123456789_PA.png',
    'doe_jane_1962-04-17.png',
    'Smith John 17.04.1962.tif',
    'IMG_20230105_1234.jpg',
    '078-05-1120.png',
    'DOE^JANE.png',
    'scan_04821_07.png',
    'NHS 943 476 5919.png',
  ])('%s looks like a patient identifier', (name) => expect(looksLikePatientId(name)).toBe(true));

  it.each(['coffee.png', 'cat_chelsea.png', 'grace_hopper.png', 'img_001.png', 'chest_xray_pa.png', 'case-12.png', 'left knee 2.jpg', 'rocket.jpg', 'a-coffee.png', 'resnet50 v2.png'])(
    '%s does not',
    (name) => expect(looksLikePatientId(name)).toBe(false),
  );
});

describe('ImageNames', () => {
  it('names images by file name, or by path when paths are included', () => {
    const names = new ImageNames({ anonymise: false, includePaths: false });
    expect(names.name('d', 'cases/MRN-0048213.png')).toBe('MRN-0048213.png');
    expect(new ImageNames({ anonymise: false, includePaths: true }).name('d', 'cases/a.png')).toBe('cases/a.png');
  });

  it('anonymised: patient-like names become "Image N", N the order in the report, the same every time', () => {
    const names = new ImageNames({ anonymise: true, includePaths: false });
    expect(names.name('d', 'a/coffee.png')).toBe('coffee.png');
    expect(names.name('d', 'b/MRN-0048213.png')).toBe('Image 2');
    expect(names.name('d', 'c/1.2.840.1136.png')).toBe('Image 3');
    expect(names.name('d', 'b/MRN-0048213.png')).toBe('Image 2');
    expect(names.isAnonymised('d', 'b/MRN-0048213.png')).toBe(true);
    expect(names.isAnonymised('d', 'a/coffee.png')).toBe(false);
    expect(names.anonymisedCount).toBe(2);
  });

  it('with paths shown, a folder named after the patient hides the image too', () => {
    const names = new ImageNames({ anonymise: true, includePaths: true });
    expect(names.name('d', 'MRN 0048213/chest.png')).toBe('Image 1');
  });
});
