import type { AnnotationShape } from '../../../../shared/contract/annotations';

/** What the annotation layer does with the pointer. 'none': nothing (the view underneath pans and zooms). */
export type AnnotationTool = 'none' | 'select' | 'box' | 'arrow' | 'freehand' | 'text';

export const annotationTools: readonly AnnotationTool[] = ['none', 'select', 'box', 'arrow', 'freehand', 'text'];

/** The tools that draw a new shape. */
export type DrawingTool = Exclude<AnnotationTool, 'none' | 'select'>;

export function isDrawingTool(tool: AnnotationTool): tool is DrawingTool {
  return tool === 'box' || tool === 'arrow' || tool === 'freehand' || tool === 'text';
}

/**
 * What the layer asks to be saved: a new annotation (no id) or an edit of one (its id). The
 * image it belongs to (project, dataset, path) is the caller's, not the layer's.
 */
export interface AnnotationEdit {
  id?: number;
  shape: AnnotationShape;
  text: string;
  color: string;
  /** What an edit of an existing annotation did, for the undo history's label (default: from what differs). */
  change?: AnnotationChange;
}

/** What the user did to an annotation, as the undo history names it ("Undo moving a box"). */
export type AnnotationChange = 'draw' | 'move' | 'resize' | 'note' | 'delete';

/**
 * Colours that stay visible on grey-scale images (X-ray, CT, MR) and apart from each other; the
 * first is the contract's default. Their names are in `annotationsText.colors`.
 */
export const annotationPalette = ['#ffcc00', '#ff4d4f', '#36d399', '#38bdf8', '#e879f9', '#ffffff'] as const;
export type PaletteColor = (typeof annotationPalette)[number];
