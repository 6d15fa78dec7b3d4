/**
 * A compact JSON-with-comments tree: the nodes buildTree (jsonParser.ts) makes and the helpers that read them.
 *
 * A general tree (jsonc-parser's `parseTree`) allocates one object per number, which for a 64 MB file of
 * attention weights is close to a gigabyte of heap, and its callback-based scanner is ~6× slower than
 * JSON.parse. Here an array whose items are all numbers keeps them packed in three flat arrays (values,
 * offsets, lengths), read by a tight loop; only arrays that mix kinds hold item objects.
 */

export type JsonPath = (string | number)[];

export interface JsonScalar {
  readonly kind: 'string' | 'number' | 'boolean' | 'null';
  readonly value: string | number | boolean | null;
  readonly offset: number;
  readonly length: number;
}

export interface JsonProperty {
  readonly key: string;
  readonly keyOffset: number;
  readonly keyLength: number;
  value: JsonValue | undefined;
}

export interface JsonObject {
  readonly kind: 'object';
  readonly offset: number;
  length: number;
  readonly props: JsonProperty[];
}

/** Every number of packed arrays, in file order: values and the offsets of their literals. */
export class NumberPool {
  values = new Float64Array(1024);
  offsets = new Int32Array(1024);
  count = 0;

  constructor(readonly text: string) {}

  push(value: number, offset: number): void {
    if (this.count === this.values.length) {
      const values = new Float64Array(this.count * 2);
      values.set(this.values);
      this.values = values;
      const offsets = new Int32Array(this.count * 2);
      offsets.set(this.offsets);
      this.offsets = offsets;
    }
    this.values[this.count] = value;
    this.offsets[this.count] = offset;
    this.count++;
  }

  /** Length of the number literal at an offset (recomputed: only needed for problem locations). */
  literalLength(offset: number): number {
    const text = this.text;
    let i = offset;
    for (;;) {
      const c = text.charCodeAt(i);
      if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 101 || c === 69) i++;
      else break;
    }
    return i - offset;
  }
}

export interface JsonArray {
  readonly kind: 'array';
  readonly offset: number;
  length: number;
  /** null while every item is a number; the numbers are then pool entries numStart … numStart+numCount−1. */
  items: JsonValue[] | null;
  readonly pool: NumberPool;
  numStart: number;
  numCount: number;
}

export type JsonValue = JsonScalar | JsonObject | JsonArray;

export function arraySize(a: JsonArray): number {
  return a.items === null ? a.numCount : a.items.length;
}

/** Item i of an array, materialising a scalar node for packed numbers. */
export function arrayItem(a: JsonArray, i: number): JsonValue {
  if (a.items !== null) return a.items[i];
  const offset = a.pool.offsets[a.numStart + i];
  return { kind: 'number', value: a.pool.values[a.numStart + i], offset, length: a.pool.literalLength(offset) };
}

/** The first property with this key (duplicates are reported separately). */
export function getProp(o: JsonObject, key: string): JsonProperty | undefined {
  for (const p of o.props) if (p.key === key) return p;
  return undefined;
}

export interface SyntaxErrorInfo {
  /** Without the position; the reporter appends "(line l, column c)". */
  readonly message: string;
  readonly offset: number;
  readonly length: number;
}

export interface DuplicateKey {
  readonly key: string;
  readonly offset: number;
  readonly length: number;
  readonly firstOffset: number;
  readonly path: JsonPath;
}

export interface BuiltTree {
  readonly root: JsonValue | undefined;
  /** The first syntax error, if any: parsing stops there (later errors are mostly echoes). */
  readonly syntaxError: SyntaxErrorInfo | undefined;
  /** The first MAX_PROBLEMS duplicate keys (only they can be listed). */
  readonly duplicates: readonly DuplicateKey[];
  /** Every duplicate key, listed or not. */
  readonly duplicateCount: number;
}

/** Maps offsets to 0-based line and column; counts \r\n, \r and \n as line breaks like jsonc-parser. */
export class LineIndex {
  private starts: Int32Array | null = null;

  constructor(private readonly text: string) {}

  private build(): Int32Array {
    const text = this.text;
    const starts: number[] = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      } else if (c === 10) {
        starts.push(i + 1);
      }
    }
    return Int32Array.from(starts);
  }

  position(offset: number): { line: number; column: number } {
    if (this.starts === null) this.starts = this.build();
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: offset - starts[lo] };
  }
}

/** "heads[1].wk" for ["heads", 1, "wk"]. */
export function formatPath(path: readonly (string | number)[]): string {
  let s = '';
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(p)) s += s === '' ? p : `.${p}`;
    else s += `[${JSON.stringify(p)}]`;
  }
  return s === '' ? '(the whole file)' : s;
}
