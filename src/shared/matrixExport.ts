/**
 * CSV and JSON of a matrix with its tokens: written by the webview for a matrix it holds, and by the process that holds
 * a large result for a matrix the webview's snapshot withholds (see MatrixFileRequest), so both files are the same.
 */
import type { Matrix } from './core';
import type { MatrixKind } from './protocol';

/** Characters that make a spreadsheet (Excel, LibreOffice, Sheets) read a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** The same after a separator: a file opened with `;` or tab as its separator (many locales) splits the field there. */
const FORMULA_AFTER_SEPARATOR = /([,;\t])(?=[=+\-@\t\r])/g;

/**
 * One CSV text field, safe whatever separator the spreadsheet splits on (`,`, `;` or tab): always quoted,
 * and every cell it could become that starts with = + - @ tab or CR gets a leading `'`, so it stays text.
 */
export function csvField(s: string): string {
  let v = s.replace(FORMULA_AFTER_SEPARATOR, "$1'");
  if (FORMULA_START.test(v)) v = `'${v}`;
  return `"${v.replace(/"/g, '""')}"`;
}

/** A cell as the exports write it: 7 significant digits, `inf`, `-inf` or `NaN`. */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return String(Number(x.toPrecision(7)));
}

/** CSV with a header row of key tokens and one line per query token. Masked −∞ cells are `-inf`. */
export function matrixToCsv(m: Matrix, rowLabels: readonly string[], colLabels: readonly string[]): string {
  const lines: string[] = [];
  lines.push([csvField(''), ...Array.from({ length: m.cols }, (_, j) => csvField(colLabels[j] ?? String(j)))].join(','));
  for (let i = 0; i < m.rows; i++) {
    const cells = [csvField(rowLabels[i] ?? String(i))];
    for (let j = 0; j < m.cols; j++) cells.push(formatNumber(m.data[i * m.cols + j]));
    lines.push(cells.join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

export interface MatrixExportMeta {
  readonly kind: MatrixKind;
  readonly layer: number;
  readonly head: number;
  readonly headName?: string;
  readonly source?: string;
  readonly hiddenTokens?: readonly number[];
}

/** JSON of a matrix with its tokens. Non-finite cells (masked −∞) become null. */
export function matrixToJson(m: Matrix, rowLabels: readonly string[], colLabels: readonly string[], meta: MatrixExportMeta): string {
  const values: (number | null)[][] = [];
  for (let i = 0; i < m.rows; i++) {
    const r: (number | null)[] = [];
    for (let j = 0; j < m.cols; j++) {
      const x = m.data[i * m.cols + j];
      r.push(Number.isFinite(x) ? Number(x.toPrecision(7)) : null);
    }
    values.push(r);
  }
  return JSON.stringify(
    {
      ...meta,
      queryTokens: rowLabels.slice(0, m.rows),
      keyTokens: colLabels.slice(0, m.cols),
      rows: m.rows,
      cols: m.cols,
      values,
    },
    null,
    1,
  );
}
