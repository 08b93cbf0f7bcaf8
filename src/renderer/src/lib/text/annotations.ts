import type { AnnotationShape } from '../../../../shared/contract/annotations';
import type { AnnotationTool, PaletteColor } from '../annotations/types';

type Kind = AnnotationShape['kind'];

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
    select: 'Select an annotation to edit its note or delete it',
    box: 'Draw a box',
    arrow: 'Draw an arrow',
    freehand: 'Draw a free-hand outline',
    text: 'Place a text note',
  } satisfies Record<AnnotationTool, string>,
  help: {
    none: 'Drag to pan, scroll to zoom. Choose a tool to annotate.',
    select: 'Click an annotation to select it; edit its note, or press Delete to remove it. Drag elsewhere to pan.',
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
