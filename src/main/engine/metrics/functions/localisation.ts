import { LumenError } from '../../../../shared/errors';

/**
 * Localisation metrics: how well an attribution map agrees with a ground-truth region, given as a
 * binary mask (Uint8Array of H x W, row-major, 1 inside and 0 outside). Each follows the metric of the
 * same name in Quantus (quantus/metrics/localisation/*.py) with Quantus's defaults, including whether
 * absolute values are taken; the doc comment of each function says which file and what differs.
 *
 * Quantus normalises maps first (by the maximum, or for the pointing game separately for the positive
 * and negative parts); every metric here is unchanged by that positive rescaling, so we skip it.
 *
 * Ties. Quantus picks "the top k pixels" with np.argsort's default quicksort, which breaks ties in an
 * unspecified order. We make that deterministic and order-free: pixels strictly above the k-th largest
 * value count fully, and the remaining slots are shared among the pixels tied at the k-th value in
 * proportion to how many of them lie in the mask. That is the expected score over a random order of
 * the tied pixels, and equals Quantus exactly when there is no tie at the cut-off.
 *
 * An empty ground truth is an error here (Quantus warns and returns NaN): a metric against nothing
 * has no meaning, and the caller should say so rather than average a NaN.
 */

/** An axis-aligned box in pixel coordinates: x is the column, y the row; x1 and y1 are exclusive. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const MASK_HINT = 'A ground-truth mask has one byte per pixel of the H x W map, row-major: 1 inside the object, 0 outside.';
const MAP_HINT = 'Metrics need finite attribution values; recompute or clean the map.';

function checkSize(height: number, width: number, what: string): void {
  if (!Number.isInteger(height) || height < 1 || !Number.isInteger(width) || width < 1) {
    throw new LumenError('invalid-argument', `${what}: the size must be whole numbers of pixels of at least 1; got height ${height} and width ${width}.`, 'Pass the height and width of the attribution map.');
  }
}

/**
 * Rasterises boxes into a mask of `height` x `width`. A pixel (column c, row r) covers
 * [c, c+1) x [r, r+1); it is inside when a box covers part of it, so integer boxes give columns x0 to
 * x1 - 1 and rows y0 to y1 - 1, and fractional boxes take every pixel they touch. Boxes partly
 * outside the image are clipped. A box that is empty (x0 >= x1 or y0 >= y1), has a non-finite
 * coordinate or lies wholly outside the image is an error naming its index, as is an empty list.
 */
export function boxesToMask(boxes: ReadonlyArray<Box>, height: number, width: number): Uint8Array {
  checkSize(height, width, 'Boxes to mask');
  if (boxes.length === 0) {
    throw new LumenError('invalid-argument', 'No boxes were given, so the ground truth would be empty.', 'Give at least one box around the object.');
  }
  const mask = new Uint8Array(height * width);
  const hint = `Boxes are in pixel coordinates of the ${width} x ${height} (width x height) image: x from 0 to ${width}, y from 0 to ${height}, with x1 and y1 exclusive.`;
  boxes.forEach((box, index) => {
    const { x0, y0, x1, y1 } = box;
    for (const [name, value] of [['x0', x0], ['y0', y0], ['x1', x1], ['y1', y1]] as const) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new LumenError('invalid-argument', `Box ${index} has a non-finite ${name} (${String(value)}).`, hint);
      }
    }
    if (!(x0 < x1) || !(y0 < y1)) {
      throw new LumenError('invalid-argument', `Box ${index} is empty: it needs x0 < x1 and y0 < y1, but has x ${x0} to ${x1} and y ${y0} to ${y1}.`, hint);
    }
    if (x1 <= 0 || x0 >= width || y1 <= 0 || y0 >= height) {
      throw new LumenError('invalid-argument', `Box ${index} (x ${x0} to ${x1}, y ${y0} to ${y1}) lies outside the ${width} x ${height} (width x height) image.`, hint);
    }
    const c0 = Math.max(0, Math.floor(x0));
    const c1 = Math.min(width, Math.ceil(x1));
    const r0 = Math.max(0, Math.floor(y0));
    const r1 = Math.min(height, Math.ceil(y1));
    for (let r = r0; r < r1; r++) mask.fill(1, r * width + c0, r * width + c1);
  });
  return mask;
}

/** Checks that `mask` is a 0/1 mask of `height` x `width` with at least one pixel inside; returns that count. */
export function checkMask(mask: Uint8Array, height: number, width: number): number {
  checkSize(height, width, 'Ground-truth mask');
  if (mask.length !== height * width) {
    throw new LumenError('invalid-argument', `The ground-truth mask has ${mask.length} pixels, but a ${width} x ${height} (width x height) map has ${height * width}.`, MASK_HINT);
  }
  return countMask(mask);
}

function countMask(mask: Uint8Array): number {
  let inside = 0;
  for (let i = 0; i < mask.length; i++) {
    const m = mask[i]!;
    if (m === 1) inside++;
    else if (m !== 0) {
      throw new LumenError('invalid-argument', `The ground-truth mask holds ${m} at pixel ${i}; a mask holds only 0 (outside) and 1 (inside).`, MASK_HINT);
    }
  }
  if (inside === 0) {
    throw new LumenError('invalid-argument', 'The ground-truth mask is empty: no pixel is inside the object, so localisation cannot be measured.', 'Give a mask or boxes that cover the object.');
  }
  return inside;
}

/** Validates a map against its mask (same length, finite values, 0/1 non-empty mask); returns the mask's pixel count. */
function checkPair(map: ArrayLike<number>, mask: Uint8Array, metric: string): number {
  if (map.length !== mask.length) {
    throw new LumenError('invalid-argument', `${metric}: the map has ${map.length} values but the mask has ${mask.length}; they must cover the same pixels.`, 'Resize the map or the mask to the same height and width.');
  }
  if (map.length === 0) {
    throw new LumenError('invalid-argument', `${metric}: the map is empty.`, 'Pass the attribution map of an image.');
  }
  for (let i = 0; i < map.length; i++) {
    const v = map[i]!;
    if (!Number.isFinite(v)) {
      throw new LumenError('invalid-argument', `${metric}: the map holds ${Number.isNaN(v) ? 'NaN' : 'an infinite value'} at element ${i}.`, MAP_HINT);
    }
  }
  return countMask(mask);
}

/**
 * Expected number of mask pixels among the k largest values of `map` (see "Ties" above): exact when
 * the k-th largest value is not tied, otherwise the free slots are shared among the tied pixels.
 */
function expectedTopHits(map: ArrayLike<number>, mask: Uint8Array, k: number): number {
  const n = map.length;
  const sorted = Float64Array.from(map).sort();
  const threshold = sorted[n - k]!;
  let above = 0;
  let aboveInside = 0;
  let tied = 0;
  let tiedInside = 0;
  for (let i = 0; i < n; i++) {
    const v = map[i]!;
    if (v > threshold) {
      above++;
      if (mask[i] === 1) aboveInside++;
    } else if (v === threshold) {
      tied++;
      if (mask[i] === 1) tiedInside++;
    }
  }
  return aboveInside + ((k - above) * tiedInside) / tied;
}

export interface PointingGameOptions {
  /**
   * Distance in pixels within which a maximum near the mask still counts as a hit (Zhang et al. used
   * 15). Default 0, as Quantus, which has no tolerance: the maximum must lie in the mask.
   */
  tolerance?: number;
  /** Width of the map in pixels; needed only when `tolerance` > 0, to know where pixels are. */
  width?: number;
  /** Quantus's `weighted`: a hit scores 1 - |mask| / pixels instead of 1. Default false, as Quantus. */
  weighted?: boolean;
}

/**
 * Pointing game (Zhang et al. 2018, "Top-down neural attention by excitation backprop"), as Quantus
 * `PointingGame` (pointing_game.py): signed values (Quantus's default abs=False), a hit when any pixel
 * holding the maximum value lies in the mask. Returns 1 for a hit and 0 for a miss (or the weighted
 * score). Ties follow Quantus: every pixel at the maximum counts, so a constant non-zero map hits.
 * The all-zero map is a miss: it points nowhere (Quantus's normalisation turns it into NaNs, which
 * also miss). With a tolerance, a maximum within Euclidean distance `tolerance` of a mask pixel hits.
 */
export function pointingGame(map: ArrayLike<number>, mask: Uint8Array, options: PointingGameOptions = {}): number {
  const inside = checkPair(map, mask, 'Pointing game');
  const n = map.length;
  const tolerance = options.tolerance ?? 0;
  if (!Number.isFinite(tolerance) || tolerance < 0) {
    throw new LumenError('invalid-argument', `Pointing game: the tolerance must be a distance in pixels of 0 or more; got ${tolerance}.`, 'Use 0 for the strict game (Quantus) or 15 as Zhang et al.');
  }
  let width = 0;
  if (tolerance > 0) {
    width = options.width ?? 0;
    if (!Number.isInteger(width) || width < 1 || n % width !== 0) {
      throw new LumenError('invalid-argument', `Pointing game: a tolerance needs the map's width, a whole number of pixels dividing its ${n} values; got ${options.width}.`, 'Pass options.width with the tolerance.');
    }
  }
  let max = -Infinity;
  let zero = true;
  for (let i = 0; i < n; i++) {
    const v = map[i]!;
    if (v > max) max = v;
    if (v !== 0) zero = false;
  }
  if (zero) return 0;
  const radius = Math.floor(tolerance);
  const height = width > 0 ? n / width : 0;
  let hit = false;
  for (let i = 0; i < n && !hit; i++) {
    if (map[i] !== max) continue;
    if (mask[i] === 1) {
      hit = true;
    } else if (radius > 0) {
      const r = Math.floor(i / width);
      const c = i - r * width;
      for (let dr = -radius; dr <= radius && !hit; dr++) {
        const rr = r + dr;
        if (rr < 0 || rr >= height) continue;
        const span = Math.floor(Math.sqrt(tolerance * tolerance - dr * dr));
        const from = rr * width + Math.max(0, c - span);
        const to = rr * width + Math.min(width - 1, c + span);
        for (let j = from; j <= to; j++) {
          if (mask[j] === 1) {
            hit = true;
            break;
          }
        }
      }
    }
  }
  if (!hit) return 0;
  return options.weighted ? 1 - inside / n : 1;
}

/**
 * Energy-based pointing game: the share of the attribution energy that falls inside the mask,
 * sum_{mask} |a| / sum |a|. Score-CAM (Wang et al. 2020) introduced it for non-negative maps; Quantus
 * has no metric of that name and implements the measure as `AttributionLocalisation` (Kohlbrenner et
 * al. 2020, attribution_localisation.py), whose defaults we follow: absolute values (abs=True) and no
 * weighting by box size (weighted=False). For a non-negative map this is exactly Score-CAM's
 * proportion. The all-zero map has no energy inside: 0 (Quantus: NaN).
 */
export function energyPointingGame(map: ArrayLike<number>, mask: Uint8Array): number {
  checkPair(map, mask, 'Energy pointing game');
  let inside = 0;
  let total = 0;
  for (let i = 0; i < map.length; i++) {
    const e = Math.abs(map[i]!);
    total += e;
    if (mask[i] === 1) inside += e;
  }
  return total === 0 ? 0 : inside / total;
}

export interface TopKIntersectionOptions {
  /** Quantus's `concept_influence`: scale the score by pixels / |mask|. Default false, as Quantus. */
  conceptInfluence?: boolean;
}

/**
 * Top-k intersection (Theiner et al. 2021), as Quantus `TopKIntersection` (top_k_intersection.py):
 * the fraction of the k highest-valued pixels (signed values, Quantus's default abs=False) that lie in
 * the mask, |top_k ∩ mask| / k. Ties at the k-th value are shared (see "Ties" above). `k` is a whole
 * number of pixels from 1 to the map size (Quantus's default is 1000).
 */
export function topKIntersection(map: ArrayLike<number>, mask: Uint8Array, k: number, options: TopKIntersectionOptions = {}): number {
  const inside = checkPair(map, mask, 'Top-k intersection');
  const n = map.length;
  if (!Number.isInteger(k) || k < 1 || k > n) {
    throw new LumenError('invalid-argument', `Top-k intersection: k must be a whole number of pixels from 1 to ${n}; got ${k}.`, 'Choose k no larger than the number of pixels in the map.');
  }
  const score = expectedTopHits(map, mask, k) / k;
  return options.conceptInfluence ? (n / inside) * score : score;
}

/**
 * Intersection over union between the top `fraction` of pixels by value (signed, as the Quantus
 * ranking metrics) and the mask: I / (k + |mask| - I), with k = round(fraction * pixels), at least 1,
 * and I the number of top pixels in the mask (ties at the cut-off shared, see "Ties" above; then I is
 * the expected intersection). `fraction` is in (0, 1].
 */
export function topFractionIoU(map: ArrayLike<number>, mask: Uint8Array, fraction: number): number {
  const inside = checkPair(map, mask, 'Top-fraction IoU');
  const n = map.length;
  if (!Number.isFinite(fraction) || fraction <= 0 || fraction > 1) {
    throw new LumenError('invalid-argument', `Top-fraction IoU: the fraction must be in (0, 1]; got ${fraction}.`, 'Use e.g. 0.1 for the top 10% of pixels.');
  }
  const k = Math.min(n, Math.max(1, Math.round(fraction * n)));
  const intersection = expectedTopHits(map, mask, k);
  return intersection / (k + inside - intersection);
}

/**
 * Relevance mass accuracy (Arras et al. 2022, CLEVR-XAI), as Quantus `RelevanceMassAccuracy`
 * (relevance_mass_accuracy.py): sum_{mask} a / sum a on the values as given (Quantus's default
 * abs=False). For non-negative maps it lies in [0, 1]; signed maps can leave that range, as in Quantus
 * (pass |a| or the positive part to measure only positive evidence). The all-zero map has no mass
 * inside: 0 (Quantus: NaN). A non-zero map whose values sum to exactly 0 has no defined ratio: error.
 */
export function relevanceMassAccuracy(map: ArrayLike<number>, mask: Uint8Array): number {
  checkPair(map, mask, 'Relevance mass accuracy');
  let inside = 0;
  let total = 0;
  let zero = true;
  for (let i = 0; i < map.length; i++) {
    const v = map[i]!;
    if (v !== 0) zero = false;
    total += v;
    if (mask[i] === 1) inside += v;
  }
  if (zero) return 0;
  if (total === 0) {
    throw new LumenError('invalid-argument', 'Relevance mass accuracy: the map\'s positive and negative values cancel to a total of 0, so the share inside the mask is undefined.', 'Pass the absolute values or the positive part of the map.');
  }
  return inside / total;
}

/**
 * Relevance rank accuracy (Arras et al. 2022, CLEVR-XAI), as Quantus `RelevanceRankAccuracy`
 * (relevance_rank_accuracy.py): with K = |mask|, the fraction of the K highest-valued pixels (signed,
 * Quantus's default abs=False) that lie in the mask. Ties at the K-th value are shared (see "Ties"
 * above), so a constant or all-zero map scores the chance level |mask| / pixels.
 */
export function relevanceRankAccuracy(map: ArrayLike<number>, mask: Uint8Array): number {
  const inside = checkPair(map, mask, 'Relevance rank accuracy');
  return expectedTopHits(map, mask, inside) / inside;
}
