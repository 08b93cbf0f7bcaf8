import { access } from 'node:fs/promises';
import { readBoxes, readMask } from './ground-truth-files';
import { groundTruthMask } from './ground-truth';

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * Sidecar ground truth next to an image file: `<stem>.boxes.json` and/or `<stem>.mask.png`, in
 * pixels of the model input, as one mask at that size (1 = object); undefined when it has none.
 * A sidecar that cannot be read is an error about that image.
 */
export async function sidecarTruth(imagePath: string, height: number, width: number): Promise<Uint8Array | undefined> {
  const stem = imagePath.replace(/\.[^./]+$/, '');
  const [boxesPath, maskPath] = [`${stem}.boxes.json`, `${stem}.mask.png`];
  const boxes = (await exists(boxesPath)) ? await readBoxes(boxesPath) : undefined;
  const mask = (await exists(maskPath)) ? await readMask(maskPath) : undefined;
  if (!boxes && !mask) return undefined;
  return groundTruthMask({ ...(boxes ? { boxes } : {}), ...(mask ? { mask } : {}) }, height, width);
}
