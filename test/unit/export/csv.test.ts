import { describe, expect, it } from 'vitest';
import { fromRows } from '../../../src/core/matrix';
import { csvField, matrixToCsv } from '../../../webview/export';

/** What a spreadsheet makes of a formula-looking cell: these starters run (or start) a formula in Excel, LibreOffice or Sheets. */
const TRIGGERS = ['=', '+', '-', '@', '\t', '\r'];
const SEPARATORS = [',', ';', '\t'];

/** An RFC 4180 reader, as Excel and LibreOffice read a file with the given separator (quotes respected). */
function readCsv(text: string, sep: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = (): void => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) endCell();
    else if (c === '\r' && text[i + 1] === '\n') {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    endCell();
    rows.push(row);
  }
  return rows;
}

/** The careless reading: split on the separator, ignoring quotes (what a naive import or a hand split does). */
function splitIgnoringQuotes(text: string, sep: string): string[] {
  return text.split('\r\n').flatMap((line) => line.split(sep)).map((c) => c.replace(/^"+/, ''));
}

const startsFormula = (cell: string): boolean => TRIGGERS.some((t) => cell.startsWith(t));

describe('CSV export is safe in spreadsheets, whatever the separator', () => {
  it('quotes every text field and defuses each formula starter at the start', () => {
    expect(csvField('plain')).toBe('"plain"');
    expect(csvField('')).toBe('""');
    expect(csvField('=1+1')).toBe(`"'=1+1"`);
    expect(csvField('+1')).toBe(`"'+1"`);
    expect(csvField('-1')).toBe(`"'-1"`);
    expect(csvField('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvField('\t=1')).toBe(`"'\t'=1"`);
    expect(csvField('\r=1')).toBe(`"'\r=1"`);
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
  });

  it('defuses a formula after a separator inside a token (issue 12 row 9: x;=1+1)', () => {
    expect(csvField('x;=1+1')).toBe(`"x;'=1+1"`);
    expect(csvField('x\t+1')).toBe(`"x\t'+1"`);
    expect(csvField('x,@A1')).toBe(`"x,'@A1"`);
    expect(csvField('x;-1;y')).toBe(`"x;'-1;y"`);
    expect(csvField('a;b')).toBe('"a;b"'); // nothing to defuse
  });

  for (const trigger of TRIGGERS) {
    for (const sep of SEPARATORS) {
      const label = JSON.stringify(trigger);
      it(`no cell starts with ${label} when the file is split on ${JSON.stringify(sep)}, with or without quotes`, () => {
        const tokens = [`${trigger}1+1`, `x${sep}${trigger}1+1`, `x;${trigger}cmd`, `x\t${trigger}cmd`, `x,${trigger}cmd`, 'ok'];
        const csv = matrixToCsv(fromRows(tokens.map(() => tokens.map(() => 0.5))), tokens, tokens);
        for (const cell of readCsv(csv, sep).flat()) expect(startsFormula(cell), JSON.stringify(cell)).toBe(false);
        for (const cell of splitIgnoringQuotes(csv, sep)) expect(startsFormula(cell), JSON.stringify(cell)).toBe(false);
      });
    }
  }

  it('read back with its own separator, plain tokens and numbers are exact', () => {
    const m = fromRows([[0.25, 0.75], [-Infinity, 1]]);
    const rows = readCsv(matrixToCsv(m, ['the', 'cat, sat'], ['k "1"', 'k2']), ',');
    expect(rows).toEqual([
      ['', 'k "1"', 'k2'],
      ['the', '0.25', '0.75'],
      ['cat, sat', '-inf', '1'],
    ]);
  });
});
