import type { ResizePolicy } from './model-card';

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Where the model's input comes from in the source image and where it lands in the tensor:
 * `crop` is cut from the source, resized to `resized`, and placed at `offset` in the
 * `target` canvas (the offset is non-zero only for letterboxing).
 */
export interface GeometryPlan {
  crop: Rect;
  resized: { width: number; height: number };
  offset: { left: number; top: number };
  target: { width: number; height: number };
}

/** Pure arithmetic of the card's resize policy, so it can be checked by hand. */
export function planGeometry(
  source: { width: number; height: number },
  target: { width: number; height: number },
  policy: ResizePolicy,
): GeometryPlan {
  const full: Rect = { left: 0, top: 0, width: source.width, height: source.height };
  switch (policy.mode) {
    case 'stretch':
      return { crop: full, resized: { ...target }, offset: { left: 0, top: 0 }, target };
    case 'center-crop': {
      const aspect = target.width / target.height;
      // The largest centred region with the model's aspect ratio, scaled by cropFraction.
      let width = source.width;
      let height = source.height;
      if (source.width / source.height > aspect) width = source.height * aspect;
      else height = source.width / aspect;
      width = Math.max(1, Math.min(source.width, Math.round(width * policy.cropFraction)));
      height = Math.max(1, Math.min(source.height, Math.round(height * policy.cropFraction)));
      const crop: Rect = {
        left: Math.round((source.width - width) / 2),
        top: Math.round((source.height - height) / 2),
        width,
        height,
      };
      return { crop, resized: { ...target }, offset: { left: 0, top: 0 }, target };
    }
    case 'letterbox': {
      const scale = Math.min(target.width / source.width, target.height / source.height);
      const resized = {
        width: Math.max(1, Math.min(target.width, Math.round(source.width * scale))),
        height: Math.max(1, Math.min(target.height, Math.round(source.height * scale))),
      };
      const offset = {
        left: Math.floor((target.width - resized.width) / 2),
        top: Math.floor((target.height - resized.height) / 2),
      };
      return { crop: full, resized, offset, target };
    }
  }
}
