/**
 * A millimetre scale bar's length: the longest "nice" length (1, 2 or 5 times a power of ten, in
 * mm) that fits in `maxPixels`, and its length in those pixels. `mmPerPixel` is the horizontal
 * spacing of the pixels the bar is drawn in (the preview's, when the preview is smaller than the
 * image: the file's column spacing times image width over preview width).
 */
export function scaleBarLength(mmPerPixel: number, maxPixels: number): { mm: number; pixels: number } | null {
  if (!(mmPerPixel > 0) || !(maxPixels > 0)) return null;
  const maxMm = mmPerPixel * maxPixels;
  const power = 10 ** Math.floor(Math.log10(maxMm));
  const mm = [5, 2, 1].map((m) => m * power).find((m) => m <= maxMm) ?? power;
  return { mm, pixels: mm / mmPerPixel };
}

/** "50 mm", "0.5 mm", "200 mm": millimetres, as radiologists measure. */
export function formatMillimetres(mm: number): string {
  return `${Number(mm.toPrecision(3))} mm`;
}
