/**
 * Where an attribution's mass lies (absolute values, per pixel): the shares on the image border
 * and corners, where text markers and rulers live, and inside given masks (ground truth, regions
 * of interest). The audit flags images by these.
 */
export function massShares(relevance: ArrayLike<number>, height: number, width: number, masks: { truth?: Uint8Array | undefined; regions?: Uint8Array | undefined }): Record<string, number> {
  const band = Math.max(1, Math.round(0.1 * Math.min(height, width)));
  const corner = Math.max(1, Math.round(0.15 * Math.min(height, width)));
  let total = 0;
  let border = 0;
  let corners = 0;
  let truth = 0;
  let regions = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const v = Math.abs(relevance[p]!);
      total += v;
      if (y < band || y >= height - band || x < band || x >= width - band) border += v;
      if ((y < corner || y >= height - corner) && (x < corner || x >= width - corner)) corners += v;
      if (masks.truth?.[p]) truth += v;
      if (masks.regions?.[p]) regions += v;
    }
  }
  const share = (v: number): number => (total > 0 ? v / total : 0);
  return {
    borderMass: share(border),
    cornerMass: share(corners),
    ...(masks.truth ? { truthMass: share(truth) } : {}),
    ...(masks.regions ? { regionMass: share(regions) } : {}),
  };
}
