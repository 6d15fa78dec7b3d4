/**
 * Pure helpers for exporting what the panel shows: CSV / JSON of a matrix, SVG of a matrix or of
 * the token view. No DOM access except in `svgToPngDataUrl` and `base64FromDataUrl`'s callers.
 */
import { isVisible, type MaskSpec, type Matrix } from '../src/shared/core';
import type { ExportFormat, MatrixKind } from '../src/shared/protocol';
import { formatNumber } from '../src/shared/matrixExport';
export { csvField, matrixToCsv, matrixToJson, type MatrixExportMeta } from '../src/shared/matrixExport';
import { colourOf, matrixDomain, rgbHex } from './render/colour-scale';

/** Characters XML 1.0 cannot carry (C0 controls except tab/newline/CR, lone surrogates, U+FFFE/F). */
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for XML text nodes and attribute values. */
export function escapeXml(s: string): string {
  return s
    .replace(XML_INVALID, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

export interface SvgColors {
  readonly background: string;
  readonly foreground: string;
  readonly font: string;
}

export const DEFAULT_SVG_COLORS: SvgColors = { background: '#1f1f1f', foreground: '#cccccc', font: 'monospace' };

/** Largest side drawn as one rect per cell; bigger matrices embed a PNG. */
export const SVG_RECT_LIMIT = 256;

function clip(s: string, max = 18): string {
  const chars = Array.from(s);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : s;
}

/**
 * A standalone SVG heatmap, coloured as the matrix view colours it (same ramp, domain and masked grey). For
 * matrices up to SVG_RECT_LIMIT on each side every cell is a rect; larger ones embed `pngDataUrl` (the canvas
 * image) as a data: image. `kind` picks the ramp (weights by default); with `mask`, weights the mask hides are grey.
 */
export function matrixToSvg(
  m: Matrix,
  rowLabels: readonly string[],
  colLabels: readonly string[],
  opts: { readonly title: string; readonly colors?: SvgColors; readonly pngDataUrl?: string; readonly kind?: MatrixKind; readonly mask?: MaskSpec },
): string {
  const colors = opts.colors ?? DEFAULT_SVG_COLORS;
  const big = m.rows > SVG_RECT_LIMIT || m.cols > SVG_RECT_LIMIT;
  const cell = big ? Math.max(1, Math.floor(800 / Math.max(m.rows, m.cols))) : Math.max(4, Math.min(24, Math.floor(640 / Math.max(1, m.rows, m.cols))));
  const labelW = big ? 0 : 120;
  const labelH = big ? 0 : 120;
  const top = 28 + labelH;
  const width = labelW + m.cols * cell + 20;
  const height = top + m.rows * cell + 20;
  const kind = opts.kind ?? 'weights';
  const domain = matrixDomain(kind, m);
  const hides = kind === 'weights' && opts.mask ? opts.mask : undefined;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(colors.font)}" font-size="11">`);
  parts.push(`<rect width="100%" height="100%" fill="${escapeXml(colors.background)}"/>`);
  parts.push(`<text x="4" y="18" fill="${escapeXml(colors.foreground)}" font-size="13">${escapeXml(opts.title)}</text>`);
  if (big) {
    if (opts.pngDataUrl && /^data:image\/png;base64,[A-Za-z0-9+/=]+$/.test(opts.pngDataUrl)) {
      parts.push(`<image x="0" y="${top}" width="${m.cols * cell}" height="${m.rows * cell}" preserveAspectRatio="none" href="${opts.pngDataUrl}"/>`);
    }
  } else {
    if (cell >= 8) {
      for (let i = 0; i < m.rows; i++) {
        parts.push(`<text x="${labelW - 4}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end" fill="${escapeXml(colors.foreground)}">${escapeXml(clip(rowLabels[i] ?? ''))}</text>`);
      }
      for (let j = 0; j < m.cols; j++) {
        const x = labelW + j * cell + cell / 2 + 4;
        parts.push(`<text transform="translate(${x} ${top - 4}) rotate(-90)" fill="${escapeXml(colors.foreground)}">${escapeXml(clip(colLabels[j] ?? ''))}</text>`);
      }
    }
    for (let i = 0; i < m.rows; i++) {
      for (let j = 0; j < m.cols; j++) {
        const v = m.data[i * m.cols + j];
        const fill = rgbHex(colourOf(v, domain, hides !== undefined && !isVisible(hides, i, j)));
        parts.push(`<rect x="${labelW + j * cell}" y="${top + i * cell}" width="${cell}" height="${cell}" fill="${fill}"><title>${escapeXml(`${rowLabels[i] ?? i} → ${colLabels[j] ?? j}: ${formatNumber(v)}`)}</title></rect>`);
      }
    }
  }
  parts.push('</svg>');
  return parts.join('\n');
}

export interface TokenSvgLine {
  readonly from: number;
  readonly to: number;
  readonly weight: number;
  readonly color: string;
}

/** Geometry shared by the token view and its SVG export. */
export const TOKEN_ROW_HEIGHT = 22;

/** The token view as a standalone SVG: query tokens left, key tokens right, weighted lines between. */
export function tokenViewSvg(opts: {
  readonly title: string;
  readonly queryTokens: readonly string[];
  readonly keyTokens: readonly string[];
  readonly lines: readonly TokenSvgLine[];
  readonly activeToken: number | null;
  readonly hiddenTokens?: readonly number[];
  readonly colors?: SvgColors;
}): string {
  const colors = opts.colors ?? DEFAULT_SVG_COLORS;
  const rh = TOKEN_ROW_HEIGHT;
  const textW = 150;
  const gap = 220;
  const top = 34;
  const n = Math.max(opts.queryTokens.length, opts.keyTokens.length);
  const width = textW * 2 + gap + 20;
  const height = top + n * rh + 10;
  const x0 = 10 + textW;
  const x1 = x0 + gap;
  const hidden = new Set(opts.hiddenTokens ?? []);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(colors.font)}" font-size="12">`);
  parts.push(`<rect width="100%" height="100%" fill="${escapeXml(colors.background)}"/>`);
  parts.push(`<text x="10" y="20" fill="${escapeXml(colors.foreground)}" font-size="13">${escapeXml(opts.title)}</text>`);
  for (const l of opts.lines) {
    const w = Math.max(0, Math.min(1, l.weight));
    parts.push(`<line x1="${x0 + 4}" y1="${top + l.from * rh + rh / 2}" x2="${x1 - 4}" y2="${top + l.to * rh + rh / 2}" stroke="${escapeXml(l.color)}" stroke-opacity="${(0.35 + 0.65 * w).toFixed(3)}" stroke-width="${(0.75 + 5 * w).toFixed(2)}"/>`);
  }
  opts.queryTokens.forEach((t, i) => {
    const weight = i === opts.activeToken ? ' font-weight="bold"' : '';
    parts.push(`<text x="${x0 - 4}" y="${top + i * rh + rh / 2 + 4}" text-anchor="end" fill="${escapeXml(colors.foreground)}"${weight}>${escapeXml(clip(t, 22))}</text>`);
  });
  opts.keyTokens.forEach((t, j) => {
    const deco = hidden.has(j) ? ' text-decoration="line-through" opacity="0.5"' : '';
    parts.push(`<text x="${x1 + 4}" y="${top + j * rh + rh / 2 + 4}" fill="${escapeXml(colors.foreground)}"${deco}>${escapeXml(clip(t, 22))}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** The base64 payload of a `data:...;base64,` URL. */
export function base64FromDataUrl(url: string): string {
  const i = url.indexOf(';base64,');
  if (i < 0) throw new Error('not a base64 data URL');
  return url.slice(i + ';base64,'.length);
}

/** A file name without path separators or odd characters. */
export function suggestedName(parts: readonly (string | number)[], format: ExportFormat): string {
  const stem = parts
    .map((p) => String(p).normalize('NFKD').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, ''))
    .filter((p) => p.length > 0)
    .join('-')
    .replace(/^\.+/, '')
    .slice(0, 80);
  return `${stem || 'attention'}.${format}`;
}

/** Rasterises an SVG string to a PNG data URL (browser only). */
export async function svgToPngDataUrl(svg: string, scale = 2): Promise<string> {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const root = doc.documentElement;
  const width = Number(root.getAttribute('width')) || 800;
  const height = Number(root.getAttribute('height')) || 600;
  // A data: URL, not a blob: URL: the webview's CSP allows `img-src data:` only.
  const url = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  const img = new Image();
  img.decoding = 'async';
  await new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error('SVG could not be rendered'));
    img.src = url;
  });
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d context');
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0, width, height);
  return canvas.toDataURL('image/png');
}
