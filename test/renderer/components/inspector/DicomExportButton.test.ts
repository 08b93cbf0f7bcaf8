// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import DicomExportButton from '../../../../src/renderer/src/components/inspector/DicomExportButton.svelte';
import { LumenError } from '../../../../src/shared/errors';
import { fakeEngine } from '../../helpers/fake-engine';

const props = { modelId: 'm1', imageId: 'i1', method: 'grad-cam', target: 3, params: { layer: 'auto' } };
const file = (kind: 'secondary-capture' | 'segmentation', name: string) => ({
  kind,
  name,
  data: new Uint8Array([1, 2, 3, 4]),
  bytes: 4,
  sopClassUid: '1.2.840.10008.5.1.4.1.1.7',
  sopInstanceUid: '2.25.1',
  seriesInstanceUid: '2.25.2',
  studyInstanceUid: '2.25.3',
});

describe('Export as DICOM in the inspector', () => {
  const downloads: string[] = [];
  beforeEach(() => {
    downloads.length = 0;
    // jsdom has no object URLs or downloads: record what the page would save.
    URL.createObjectURL = vi.fn(() => 'blob:lumen');
    URL.revokeObjectURL = vi.fn();
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push(this.download);
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it('asks the engine for the explanation on screen, de-identified by default, and saves the files it returns', async () => {
    const engine = fakeEngine({
      'dicom.export': () => ({ files: [file('secondary-capture', 'chest.grad-cam-overlay.dcm')], method: 'grad-cam', target: 3, targetLabel: 'x', deidentified: true, sourceIsDicom: false, warnings: ['"chest.png" is not a DICOM image'] }),
    });
    render(DicomExportButton, { props: { api: engine.api, ...props } });
    await fireEvent.click(screen.getByRole('button', { name: 'Export as DICOM' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('1 DICOM file saved, de-identified.'));
    expect(engine.callsOf('dicom.export')).toEqual([{ ...props, segmentation: false, keepIdentifiers: false, segmentationArea: 0.1, colormap: 'inferno', overwrite: false }]);
    expect(downloads).toEqual(['chest.grad-cam-overlay.dcm']);
    expect(screen.getByText('"chest.png" is not a DICOM image')).toBeTruthy();
  });

  it('with the segmentation and identifiers kept: says what keeping means, asks for both, saves both files', async () => {
    const engine = fakeEngine({
      'dicom.export': () => ({ files: [file('secondary-capture', 'a.dcm'), file('segmentation', 'b.dcm')], method: 'grad-cam', target: 3, targetLabel: 'x', deidentified: false, sourceIsDicom: true, warnings: [] }),
    });
    render(DicomExportButton, { props: { api: engine.api, ...props } });
    expect(screen.queryByRole('note')).toBeNull();
    await fireEvent.click(screen.getByLabelText('XRAI segmentation'));
    await fireEvent.click(screen.getByLabelText('Keep identifiers'));
    expect(screen.getByRole('note').textContent).toMatch(/name the patient/);
    await fireEvent.click(screen.getByRole('button', { name: 'Export as DICOM' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('2 DICOM files saved, identifiers kept.'));
    expect(engine.callsOf('dicom.export')[0]).toMatchObject({ segmentation: true, keepIdentifiers: true });
    expect(downloads).toEqual(['a.dcm', 'b.dcm']);
  });

  it('shows the engine’s error in one line and saves nothing', async () => {
    const engine = fakeEngine({
      'dicom.export': () => {
        throw new LumenError('invalid-image', '"x.dcm" has no pixel data.');
      },
    });
    render(DicomExportButton, { props: { api: engine.api, ...props } });
    await fireEvent.click(screen.getByRole('button', { name: 'Export as DICOM' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('DICOM export failed: "x.dcm" has no pixel data.'));
    expect(downloads).toEqual([]);
  });
});
