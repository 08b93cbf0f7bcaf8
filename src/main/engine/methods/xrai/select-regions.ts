/** One XRAI region: pixels it adds (disjoint from earlier regions), their mean attribution, area. */
export interface XraiRegion {
  pixels: Uint32Array;
  gain: number;
}

export interface XraiSelection {
  /** Per pixel: the gain of the region that covers it (PAIR's attribution mask). */
  heatmap: Float32Array;
  /** Regions by decreasing gain; a last "rest" region holds pixels no mask reached. */
  regions: XraiRegion[];
}

/**
 * XRAI's region selection (Kapishnikov et al. 2019) as PAIR saliency defines it. `full`: greedily
 * add the mask whose not-yet-covered pixels have the highest mean attribution, dropping masks that
 * would add fewer than `minPixelDiff` pixels, until none is left. `fast`: rank masks once by their
 * own mean attribution and add them in that order. Both return regions sorted by gain.
 *
 * PAIR rescans every mask over the whole image at each step. Here each mask keeps the count and
 * attribution sum of its uncovered pixels, updated through a pixel-to-masks index as pixels get
 * covered: the total work is the total mask size, not masks x steps x pixels.
 */
export function selectRegions(attribution: Float32Array, masks: Uint32Array[], options: { minPixelDiff: number; algorithm: 'full' | 'fast' }): XraiSelection {
  const pixelCount = attribution.length;
  const covered = new Uint8Array(pixelCount);
  const heatmap = new Float32Array(pixelCount).fill(-Infinity);
  const chosen: XraiRegion[] = [];

  const addPixels = (mask: Uint32Array, gain: number, onCover?: (p: number) => void): Uint32Array => {
    const added: number[] = [];
    for (const p of mask) {
      if (covered[p]) continue;
      covered[p] = 1;
      heatmap[p] = gain;
      added.push(p);
      onCover?.(p);
    }
    return Uint32Array.from(added);
  };

  if (options.algorithm === 'full') {
    const count = Float64Array.from(masks, (m) => m.length);
    const total = Float64Array.from(masks, (m) => m.reduce((s, p) => s + attribution[p]!, 0));
    // Pixel -> masks containing it, as compressed rows.
    const starts = new Uint32Array(pixelCount + 1);
    for (const m of masks) for (const p of m) starts[p + 1]!++;
    for (let p = 0; p < pixelCount; p++) starts[p + 1]! += starts[p]!;
    const members = new Uint32Array(starts[pixelCount]!);
    const fill = starts.slice(0, pixelCount);
    masks.forEach((m, k) => {
      for (const p of m) members[fill[p]!++] = k;
    });
    const remaining = new Uint8Array(masks.length).fill(1);
    let left = masks.length;
    while (left > 0) {
      let best = -1;
      let bestGain = -Infinity;
      for (let k = 0; k < masks.length; k++) {
        if (!remaining[k]) continue;
        if (count[k]! < options.minPixelDiff) {
          remaining[k] = 0;
          left--;
          continue;
        }
        const gain = total[k]! / count[k]!;
        if (gain > bestGain) {
          bestGain = gain;
          best = k;
        }
      }
      if (best < 0) break;
      remaining[best] = 0;
      left--;
      const pixels = addPixels(masks[best]!, bestGain, (p) => {
        for (let i = starts[p]!; i < starts[p + 1]!; i++) {
          const k = members[i]!;
          count[k]!--;
          total[k]! -= attribution[p]!;
        }
      });
      chosen.push({ pixels, gain: bestGain });
    }
  } else {
    const ranked = masks
      .map((m, k) => ({ m, k, gain: m.length > 0 ? m.reduce((s, p) => s + attribution[p]!, 0) / m.length : -Infinity }))
      .sort((a, b) => b.gain - a.gain || a.k - b.k);
    for (const { m } of ranked) {
      let fresh = 0;
      let sum = 0;
      for (const p of m) {
        if (!covered[p]) {
          fresh++;
          sum += attribution[p]!;
        }
      }
      if (fresh < options.minPixelDiff) continue;
      const gain = sum / fresh;
      chosen.push({ pixels: addPixels(m, gain), gain });
    }
  }

  // Sorted by gain; a stable sort keeps insertion order among equal gains, as Python's sorted does.
  const regions = chosen.map((r, i) => ({ r, i })).sort((a, b) => b.r.gain - a.r.gain || a.i - b.i).map(({ r }) => r);
  const rest: number[] = [];
  let restSum = 0;
  for (let p = 0; p < pixelCount; p++) {
    if (!covered[p]) {
      rest.push(p);
      restSum += attribution[p]!;
    }
  }
  if (rest.length > 0) {
    const gain = restSum / rest.length;
    for (const p of rest) heatmap[p] = gain;
    regions.push({ pixels: Uint32Array.from(rest), gain });
  }
  return { heatmap, regions };
}

/** Rank of each pixel's region (1 = most important), PAIR's "flattened" XRAI segments. */
export function regionRanks(regions: XraiRegion[], pixelCount: number): Int32Array {
  const ranks = new Int32Array(pixelCount);
  regions.forEach((r, i) => {
    for (const p of r.pixels) ranks[p] = i + 1;
  });
  return ranks;
}

/**
 * The binary mask of the top regions covering at least `fraction` of the image: whole regions in
 * rank order until their cumulative area reaches the threshold (so the area shown is at least the
 * one asked for; the actual fraction is returned).
 */
export function topRegionsMask(regions: XraiRegion[], pixelCount: number, fraction: number): { mask: Float32Array; area: number } {
  const mask = new Float32Array(pixelCount);
  let area = 0;
  for (const r of regions) {
    if (area >= fraction * pixelCount) break;
    for (const p of r.pixels) mask[p] = 1;
    area += r.pixels.length;
  }
  return { mask, area: area / pixelCount };
}
