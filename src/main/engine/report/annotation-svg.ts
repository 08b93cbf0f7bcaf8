import type { Annotation } from '../../../shared/contract/annotations';
import { escapeHtml } from './html-escape';

/**
 * The user's annotations as an SVG layer for an image figure: the viewBox is the image in its own
 * pixels (where annotations are stored), so the layer lies exactly over the <img> whatever size it
 * prints at. Each annotation carries its number from the report's list; lines keep a constant
 * width on paper (non-scaling strokes). Text is escaped; colours are the contract's #rrggbb.
 */
export function annotationSvg(annotations: readonly Annotation[], size: { width: number; height: number }): string {
  if (annotations.length === 0) return '';
  const { width: W, height: H } = size;
  const unit = Math.max(W, H);
  const r = round(unit * 0.022);
  const parts: string[] = [];
  annotations.forEach((a, i) => {
    const color = /^#[0-9a-fA-F]{6}$/.test(a.color) ? a.color : '#ffcc00';
    const stroke = `fill="none" stroke="${color}" stroke-width="2.5" vector-effect="non-scaling-stroke" stroke-linejoin="round" stroke-linecap="round"`;
    const shape = a.shape;
    let anchor: [number, number];
    switch (shape.kind) {
      case 'box': {
        const x = Math.min(shape.x0, shape.x1);
        const y = Math.min(shape.y0, shape.y1);
        parts.push(`<rect x="${round(x)}" y="${round(y)}" width="${round(Math.abs(shape.x1 - shape.x0))}" height="${round(Math.abs(shape.y1 - shape.y0))}" ${stroke}/>`);
        anchor = [x, y];
        break;
      }
      case 'arrow': {
        const [fx, fy] = shape.from;
        const [tx, ty] = shape.to;
        const length = Math.hypot(tx - fx, ty - fy) || 1;
        const head = Math.min(unit * 0.03, length * 0.5);
        const ux = (tx - fx) / length;
        const uy = (ty - fy) / length;
        const left: [number, number] = [tx - head * ux + head * 0.5 * uy, ty - head * uy - head * 0.5 * ux];
        const right: [number, number] = [tx - head * ux - head * 0.5 * uy, ty - head * uy + head * 0.5 * ux];
        parts.push(`<line x1="${round(fx)}" y1="${round(fy)}" x2="${round(tx)}" y2="${round(ty)}" ${stroke}/>`);
        parts.push(`<polygon points="${round(tx)},${round(ty)} ${round(left[0])},${round(left[1])} ${round(right[0])},${round(right[1])}" fill="${color}" stroke="${color}" stroke-width="1" vector-effect="non-scaling-stroke"/>`);
        anchor = [fx, fy];
        break;
      }
      case 'freehand': {
        parts.push(`<polyline points="${shape.points.map(([x, y]) => `${round(x)},${round(y)}`).join(' ')}" ${stroke}/>`);
        anchor = shape.points[0]!;
        break;
      }
      case 'text': {
        anchor = shape.at;
        const shown = a.text.length > 40 ? `${a.text.slice(0, 39)}…` : a.text;
        if (shown) {
          parts.push(
            `<text x="${round(anchor[0] + r * 1.4)}" y="${round(anchor[1] + r * 0.45)}" font-size="${round(r * 1.3)}" fill="${color}" stroke="#000" stroke-width="${round(r * 0.12)}" paint-order="stroke" font-family="sans-serif">${escapeHtml(shown)}</text>`,
          );
        }
        break;
      }
    }
    // The number that ties the shape to the list under the figure.
    const [ax, ay] = [Math.min(Math.max(anchor[0], r), W - r), Math.min(Math.max(anchor[1], r), H - r)];
    parts.push(`<circle cx="${round(ax)}" cy="${round(ay)}" r="${r}" fill="${color}" stroke="#000" stroke-width="1" vector-effect="non-scaling-stroke"/>`);
    parts.push(`<text x="${round(ax)}" y="${round(ay + r * 0.42)}" font-size="${round(r * 1.2)}" text-anchor="middle" fill="#000" font-family="sans-serif" font-weight="bold">${i + 1}</text>`);
  });
  return `<svg class="annotations" viewBox="0 0 ${W} ${H}" preserveAspectRatio="none" aria-hidden="true">${parts.join('')}</svg>`;
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
