import type { AnnotationShape } from '../../../../shared/contract/annotations';
import type { AnnotationChange, AnnotationTool, PaletteColor } from '../annotations/types';

type Kind = AnnotationShape['kind'];

const changeVerbs = { draw: 'drawing', move: 'moving', resize: 'resizing', note: 'editing the note of', delete: 'deleting' } as const satisfies Record<AnnotationChange, string>;
const articles = { box: 'a box', arrow: 'an arrow', freehand: 'an outline', text: 'a note' } as const satisfies Record<Kind, string>;

const kinds = { box: 'Box', arrow: 'Arrow', freehand: 'Outline', text: 'Note' } as const satisfies Record<Kind, string>;

/** Every user-visible string of the annotation layer and its toolbar. */
export const annotationsText = {
  toolbarLabel: 'Annotation tools',
  toolsLabel: 'Tool',
  tools: {
    none: 'Pan',
    select: 'Select',
    box: 'Box',
    arrow: 'Arrow',
    freehand: 'Outline',
    text: 'Note',
  } satisfies Record<AnnotationTool, string>,
  toolTitles: {
    none: 'Pan and zoom the image; annotations are shown, not edited',
    select: 'Select an annotation to move, resize, edit its note or delete it',
    box: 'Draw a box',
    arrow: 'Draw an arrow',
    freehand: 'Draw a free-hand outline',
    text: 'Place a text note',
  } satisfies Record<AnnotationTool, string>,
  help: {
    none: 'Drag to pan, scroll to zoom. Choose a tool to annotate.',
    select: 'Click an annotation to select it; drag it to move, drag its handles to resize, arrow keys nudge (Shift: 10 px), Delete removes, Esc deselects. Drag elsewhere to pan.',
    box: 'Drag across the region to draw a box. Esc cancels.',
    arrow: 'Drag from the tail to the point of interest. Esc cancels.',
    freehand: 'Hold the button and trace the outline. Esc cancels.',
    text: 'Click where the note goes, then type it and press Enter.',
  } satisfies Record<AnnotationTool, string>,
  colorsLabel: 'Colour',
  colors: {
    '#ffcc00': 'Yellow',
    '#ff4d4f': 'Red',
    '#36d399': 'Green',
    '#38bdf8': 'Blue',
    '#e879f9': 'Magenta',
    '#ffffff': 'White',
  } satisfies Record<PaletteColor, string>,
  count: (n: number) => (n === 0 ? 'No annotations' : n === 1 ? '1 annotation' : `${n.toLocaleString()} annotations`),
  saving: 'Saving…',
  kinds,
  /** A shape's accessible name: its kind and its text. */
  shapeName: (kind: Kind, text: string) => {
    const name = kinds[kind];
    const note = text.trim();
    return note ? `${name}: ${note}` : `${name} (no text)`;
  },
  layerLabel: (n: number) => `Annotations (${n})`,
  editorLabel: (kind: Kind) => `${kinds[kind]} annotation`,
  byline: (author: string, when: string) => `${author} · ${when}`,
  edited: 'edited',
  noteLabel: 'Note',
  notePlaceholder: 'Add a note (Enter saves, Shift+Enter for a new line)',
  newNoteLabel: 'New note',
  newNotePlaceholder: 'Type the note, then Enter',
  save: 'Save',
  add: 'Add',
  cancel: 'Cancel',
  delete: 'Delete',
  close: 'Close',
  /** An edit as the undo history names it: "drawing a box", "moving an arrow". */
  changeLabel: (change: AnnotationChange, kind: Kind) => `${changeVerbs[change]} ${articles[kind]}`,
  undo: 'Undo',
  redo: 'Redo',
  undoLabel: (label: string | null) => (label ? `Undo ${label}` : 'Undo'),
  redoLabel: (label: string | null) => (label ? `Redo ${label}` : 'Redo'),
  undoTitle: (label: string | null) => (label ? `Undo ${label} (Ctrl+Z)` : 'Nothing to undo'),
  redoTitle: (label: string | null) => (label ? `Redo ${label} (Ctrl+Shift+Z or Ctrl+Y)` : 'Nothing to redo'),
  historyLabel: 'Undo and redo',
  handleLabel: (handle: string) => `Resize handle ${handle}`,
  noImage: 'Annotations are kept in a project: open the image from a dataset to annotate it.',
  noImageRef: 'No project image is open to annotate.',
} as const;

/** "2025-01-02 10:00": a stored ISO time, short and local. */
export function shortTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
