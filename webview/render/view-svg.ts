/**
 * SVG exports of the Pipeline and Heads views as drawn: the same cards, thumbnails (their rasters as PNG images,
 * with the traced row outlined), texts and statistics, laid out in as many columns as the panel shows.
 */
import { escapeXml, type SvgColors } from '../export';
import type { Thumb } from './thumbnail';

export interface SvgThumb {
  /** The thumbnail raster as a PNG data URL. */
  readonly href: string;
  readonly width: number;
  readonly height: number;
  /** The traced row's band inside the thumbnail, or null. */
  readonly band: { readonly y: number; readonly height: number } | null;
}

/**
 * What `drawThumb` paints for thumbnail `t` of a matrix of `sourceRows` rows in a `box` px square, as an SVG image of
 * the same size with the same row band.
 */
export function svgThumb(t: Thumb, sourceRows: number, box: number, row: number | null): SvgThumb {
  const cols = Math.max(1, t.small.cols);
  const rows = Math.max(1, t.small.rows);
  const scale = Math.max(1, Math.min(box / cols, box / rows, 14));
  const width = Math.max(1, Math.round(cols * scale));
  const height = Math.max(1, Math.round(rows * scale));
  const canvas = document.createElement('canvas');
  canvas.width = t.raster.width;
  canvas.height = t.raster.height;
  canvas.getContext('2d')?.drawImage(t.raster, 0, 0);
  let band: SvgThumb['band'] = null;
  if (row !== null && row >= 0 && row < sourceRows) {
    const r = Math.floor((row * rows) / Math.max(1, sourceRows));
    band = { y: (r * height) / rows, height: Math.max(2, height / rows) };
  }
  return { href: canvas.toDataURL('image/png'), width, height, band };
}

function image(x: number, y: number, t: SvgThumb, highlight: string): string {
  const img = `<image x="${x}" y="${y}" width="${t.width}" height="${t.height}" preserveAspectRatio="none" image-rendering="pixelated" href="${t.href}"/>`;
  if (!t.band) return img;
  const b = t.band;
  return `${img}<rect class="trace" x="${x + 0.5}" y="${(y + b.y - 0.5).toFixed(2)}" width="${t.width - 1}" height="${(b.height + 1).toFixed(2)}" fill="none" stroke="${escapeXml(highlight)}" stroke-width="1.5"/>`;
}

/** Greedy word wrap to lines of at most `max` characters. */
export function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function text(x: number, y: number, s: string, fill: string, extra = ''): string {
  return `<text x="${x}" y="${y}" fill="${escapeXml(fill)}"${extra}>${escapeXml(s)}</text>`;
}

function svgOpen(width: number, height: number, colors: SvgColors, title: string): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(colors.font)}" font-size="11">`,
    `<rect width="100%" height="100%" fill="${escapeXml(colors.background)}"/>`,
    text(10, 20, title, colors.foreground, ' font-size="13" font-weight="bold"'),
  ];
}

export interface ExportColours extends SvgColors {
  readonly dim: string;
  readonly border: string;
  readonly highlight: string;
}

export interface PipelineSvgStep {
  readonly id: string;
  readonly name: string;
  readonly shape: string | null;
  readonly explain: string;
  readonly thumb: SvgThumb | null;
  /** Shown instead of a thumbnail. */
  readonly missing: string;
  readonly trace: string | null;
}

const STEP_W = 168;
const STEP_GAP = 10;
const LINE = 14;
const MISSING_CHARS = 28;
/** Characters of the 11 px monospace font that fit a card (≈ 6.6 px each). */
const EXPLAIN_CHARS = 22;

/** The pipeline view: its heading and note, one card per step in `columns` columns, and the cost of the mask. */
export function pipelineSvg(opts: {
  readonly title: string;
  readonly notes: readonly string[];
  readonly steps: readonly PipelineSvgStep[];
  readonly cost: { readonly readout: string; readonly rows: readonly (readonly string[])[] };
  readonly columns: number;
  readonly colors: ExportColours;
}): string {
  const c = opts.colors;
  const columns = Math.max(1, opts.columns);
  const thumbArea = opts.steps.reduce((h, s) => Math.max(h, s.thumb?.height ?? wrap(s.missing, MISSING_CHARS).length * 11), 20) + 4;
  const cardH = opts.steps.reduce((h, s) => Math.max(h, 24 + thumbArea + wrap(s.explain, EXPLAIN_CHARS).length * LINE + (s.trace ? LINE + 4 : 0) + 8), 0);
  const top = 34 + opts.notes.length * LINE + 6;
  const rows = Math.ceil(opts.steps.length / columns);
  const width = 10 + columns * (STEP_W + STEP_GAP);
  const costTop = top + rows * (cardH + STEP_GAP) + 10;
  const height = costTop + 40 + (opts.cost.rows.length + 1) * LINE + 10;
  const parts = svgOpen(width, height, c, opts.title);
  opts.notes.forEach((n, k) => parts.push(text(10, 34 + k * LINE + 4, n, c.dim)));
  opts.steps.forEach((s, k) => {
    const x = 10 + (k % columns) * (STEP_W + STEP_GAP);
    const y = top + Math.floor(k / columns) * (cardH + STEP_GAP);
    parts.push(`<g class="step" data-step="${escapeXml(s.id)}">`);
    parts.push(`<rect x="${x}" y="${y}" width="${STEP_W}" height="${cardH}" rx="4" fill="none" stroke="${escapeXml(c.border)}"/>`);
    parts.push(text(x + 8, y + 16, s.name, c.foreground, ' font-weight="bold"'));
    if (s.shape) parts.push(text(x + STEP_W - 8, y + 16, s.shape, c.dim, ' text-anchor="end"'));
    if (s.thumb) parts.push(image(x + 8, y + 24, s.thumb, c.highlight));
    else {
      // A sentence in place of the thumbnail wraps around the thumbnail's middle (9 px glyphs: ≈ 28 to a card).
      const lines = wrap(s.missing, MISSING_CHARS);
      lines.forEach((line, k) => parts.push(text(x + 8, y + 24 + thumbArea / 2 + (k - (lines.length - 1) / 2) * 11, line, c.dim, ' font-size="9"')));
    }
    let ty = y + 24 + thumbArea + 10;
    for (const line of wrap(s.explain, EXPLAIN_CHARS)) {
      parts.push(text(x + 8, ty, line, c.foreground, ' class="explain"'));
      ty += LINE;
    }
    // Monospace glyphs are ≈ 0.6 em wide: the trace shrinks to fit the card, as on screen it wraps.
    if (s.trace) parts.push(text(x + 8, ty + 4, s.trace, c.foreground, ` class="trace" font-size="${Math.min(9, Math.floor((STEP_W - 16) / (0.6 * s.trace.length)))}"`));
    parts.push('</g>');
  });
  parts.push(text(10, costTop + 14, 'Cost of the mask', c.foreground, ' font-size="12" font-weight="bold"'));
  parts.push(text(10, costTop + 32, opts.cost.readout, c.foreground, ' class="readout"'));
  opts.cost.rows.forEach((r, k) => {
    const y = costTop + 32 + (k + 1) * LINE + 4;
    r.forEach((cell, m) => parts.push(text(10 + m * 90, y, cell, k === 0 ? c.dim : c.foreground, ' class="cost"')));
  });
  parts.push('</svg>');
  return parts.join('\n');
}

export interface HeadSvgCard {
  readonly label: string;
  readonly row: number;
  readonly col: number;
  readonly thumb: SvgThumb;
  /** Statistics lines, when the card shows them. */
  readonly stats: readonly string[];
  readonly selected: boolean;
}

/** The head grid: cards of `cell` px at (row, col), with row and column labels when the grid is in layer order. */
export function headGridSvg(opts: {
  readonly title: string;
  readonly caption: string;
  readonly cards: readonly HeadSvgCard[];
  readonly cell: number;
  readonly rowLabels: readonly string[] | null;
  readonly colLabels: readonly string[] | null;
  readonly colors: ExportColours;
}): string {
  const c = opts.colors;
  const gap = 4;
  const labelW = opts.rowLabels ? 36 : 0;
  const labelH = opts.colLabels ? 16 : 0;
  const cardH = opts.cell + opts.cards.reduce((h, k) => Math.max(h, k.stats.length), 0) * LINE + 16;
  const cols = opts.cards.reduce((m, k) => Math.max(m, k.col + 1), 0);
  const rows = opts.cards.reduce((m, k) => Math.max(m, k.row + 1), 0);
  const width = Math.max(240, 10 + labelW + cols * (opts.cell + gap) + 10);
  const caption = wrap(opts.caption, Math.floor((width - 20) / 6.6));
  const top = 34 + caption.length * LINE + labelH;
  const height = top + rows * (cardH + gap) + 10;
  const parts = svgOpen(width, height, c, opts.title);
  caption.forEach((line, k) => parts.push(text(10, 34 + k * LINE + 4, line, c.dim)));
  opts.colLabels?.forEach((l, k) => parts.push(text(10 + labelW + k * (opts.cell + gap) + opts.cell / 2, top - 4, l, c.dim, ' text-anchor="middle"')));
  opts.rowLabels?.forEach((l, k) => parts.push(text(10, top + k * (cardH + gap) + cardH / 2, l, c.dim)));
  for (const k of opts.cards) {
    const x = 10 + labelW + k.col * (opts.cell + gap);
    const y = top + k.row * (cardH + gap);
    parts.push(`<g class="head" data-label="${escapeXml(k.label)}">`);
    parts.push(`<rect x="${x}" y="${y}" width="${opts.cell}" height="${cardH}" rx="3" fill="none" stroke="${escapeXml(k.selected ? c.highlight : c.border)}" stroke-width="${k.selected ? 2 : 1}"/>`);
    parts.push(text(x + 4, y + 12, k.label, c.foreground, ' font-size="10"'));
    parts.push(image(x + (opts.cell - k.thumb.width) / 2, y + 16, k.thumb, c.highlight));
    k.stats.forEach((s, m) => parts.push(text(x + 4, y + 16 + opts.cell + m * LINE, s, c.foreground, ' font-size="10" class="stat"')));
    parts.push('</g>');
  }
  parts.push('</svg>');
  return parts.join('\n');
}
