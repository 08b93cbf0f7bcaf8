import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IdentifierScrubber, withheld } from '../../../../src/main/engine/report/identifier-scrubber';
import { repoRoot } from '../../../helpers/built-app';

const dicom = { bytes: new Uint8Array(readFileSync(join(repoRoot, 'test/fixtures/dicom-export/identifying.dcm'))) };
const png = { bytes: new Uint8Array(readFileSync(join(repoRoot, 'resources/samples/coffee.png'))) };

describe('IdentifierScrubber', () => {
  const scrubber = IdentifierScrubber.of([dicom, png], ['alice']);

  it('finds the header’s identifiers in their usual spellings, and the authors', () => {
    expect(scrubber.scrub('Grace Hoppersecret (MRN7734921), born 1906-12-09 / 09.12.1906, seen by alice')).toBe(`${withheld} (${withheld}), born ${withheld} / ${withheld}, seen by ${withheld}`);
    expect(scrubber.scrub('HOPPERSECRET^GRACE at SECRETINSTITUTE HOSPITAL')).toBe(`${withheld} at ${withheld}`);
    expect(scrubber.identifies('HOPPERSECRET_GRACE/MRN7734921.dcm')).toBe(true);
  });

  it('leaves words that merely contain a value, and ordinary text, alone', () => {
    expect(scrubber.scrub('malice in the gracefully espresso cup')).toBe('malice in the gracefully espresso cup');
    expect(scrubber.identifies('a-coffee.png')).toBe(false);
  });

  it('cleans the text and alt attributes of HTML, never the markup, the style sheet or data: URIs', () => {
    const html = '<style>.MRN7734921 { color: red }</style><p class="MRN7734921">MRN7734921</p><img alt="HOPPERSECRET" src="data:image/png;base64,MRN7734921">';
    expect(scrubber.scrubHtml(html)).toBe(`<style>.MRN7734921 { color: red }</style><p class="MRN7734921">${withheld}</p><img alt="${withheld}" src="data:image/png;base64,MRN7734921">`);
  });

  it('has nothing to withhold for images that are not DICOM and no authors', () => {
    const none = IdentifierScrubber.of([png]);
    expect(none.empty).toBe(true);
    expect(none.scrubHtml('<p>MRN7734921</p>')).toBe('<p>MRN7734921</p>');
  });
});
