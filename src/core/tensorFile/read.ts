/** Typed reading of the compact JSON tree: numbers, vectors, matrices and strings, each problem located. */
import type { Matrix } from '../matrix';
import { type JsonArray, type JsonObject, type JsonPath, type JsonValue, arrayItem, arraySize, formatPath, getProp } from './json';
import { MAX_MAGNITUDE } from './limits';
import type { Reporter } from './problems';

/** A field's value with its path, or undefined when absent. */
export function field(o: JsonObject, key: string, base: JsonPath): { node: JsonValue; path: JsonPath; keyOffset: number } | undefined {
  const p = getProp(o, key);
  if (p === undefined || p.value === undefined) return undefined;
  return { node: p.value, path: [...base, key], keyOffset: p.keyOffset };
}

/** A value read from the file together with where it came from. */
export interface Located<T> {
  readonly value: T;
  readonly node: JsonValue;
  readonly path: JsonPath;
}

export function describe(v: JsonValue | undefined): string {
  if (v === undefined) return 'missing';
  switch (v.kind) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'string':
      return `the string ${JSON.stringify(truncate(v.value as string))}`;
    case 'number':
      return `the number ${String(v.value)}`;
    case 'boolean':
      return String(v.value);
    default:
      return 'null';
  }
}

function truncate(s: string, max = 40): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

const NON_FINITE_STRING = /^\s*[+-]?(nan|inf|infinity)\s*$/i;

/** Checks one number that is going into a float32 tensor; reports and returns false when it cannot. */
function checkNumber(rep: Reporter, value: number, offset: number, length: number, path: JsonPath): boolean {
  if (Number.isFinite(value) && Math.abs(value) <= MAX_MAGNITUDE) return true;
  const literal = rep.text.slice(offset, offset + Math.min(length, 40));
  if (!Number.isFinite(value)) {
    rep.error(`${formatPath(path)} is ${literal}, a non-finite number (it overflows to ${value > 0 ? '' : '−'}Infinity); write a finite number.`, offset, length, path);
  } else {
    rep.error(`${formatPath(path)} is ${literal}, too large: numbers must stay within ±1e9, so that every product of them stays finite in 32-bit floats.`, offset, length, path);
  }
  return false;
}

/** Reports a non-number where a number belongs, with a specific hint for "NaN"/"Infinity" strings. */
function reportNotNumber(rep: Reporter, v: JsonValue, path: JsonPath): void {
  const where = formatPath(path);
  if (v.kind === 'string') {
    const s = v.value as string;
    if (NON_FINITE_STRING.test(s)) {
      rep.errorAt(v, path, `${where} is the string ${JSON.stringify(s)}, a non-finite number: only finite numbers are allowed.`);
      return;
    }
    if (s.trim() !== '' && Number.isFinite(Number(s))) {
      rep.errorAt(v, path, `${where} is the string ${JSON.stringify(truncate(s))}, but a number is required: remove the quotes.`);
      return;
    }
  }
  rep.errorAt(v, path, `${where} is ${describe(v)}, but a number is required.`);
}

/** A single finite number. */
export function readNumber(rep: Reporter, v: JsonValue, path: JsonPath): number | undefined {
  if (v.kind !== 'number') {
    reportNotNumber(rep, v, path);
    return undefined;
  }
  const x = v.value as number;
  if (!Number.isFinite(x)) {
    checkNumber(rep, x, v.offset, v.length, path);
    return undefined;
  }
  return x;
}

/** Copies the numbers of one array into data[at…]; returns false after reporting any bad item. */
function readRowInto(rep: Reporter, row: JsonArray, data: Float32Array, at: number, path: JsonPath): boolean {
  let ok = true;
  if (row.items === null) {
    const { values, offsets } = row.pool;
    const start = row.numStart;
    const count = row.numCount;
    for (let j = 0; j < count; j++) {
      const x = values[start + j];
      if (Number.isFinite(x) && Math.abs(x) <= MAX_MAGNITUDE) data[at + j] = x;
      else {
        const offset = offsets[start + j];
        checkNumber(rep, x, offset, row.pool.literalLength(offset), [...path, j]);
        ok = false;
      }
    }
    return ok;
  }
  const items = row.items;
  for (let j = 0; j < items.length; j++) {
    const v = items[j];
    if (v.kind === 'number') {
      const x = v.value as number;
      if (checkNumber(rep, x, v.offset, v.length, [...path, j])) data[at + j] = x;
      else ok = false;
    } else {
      reportNotNumber(rep, v, [...path, j]);
      ok = false;
    }
  }
  return ok;
}

/** A vector of numbers (for biases). */
export function readVector(rep: Reporter, v: JsonValue, path: JsonPath): Located<Float32Array> | undefined {
  const where = formatPath(path);
  if (v.kind !== 'array') {
    rep.errorAt(v, path, `${where} must be an array of numbers, but it is ${describe(v)}.`);
    return undefined;
  }
  const n = arraySize(v);
  if (n === 0) {
    rep.errorAt(v, path, `${where} is empty: it needs at least one number.`);
    return undefined;
  }
  const data = new Float32Array(n);
  if (!readRowInto(rep, v, data, 0, path)) return undefined;
  return { value: data, node: v, path };
}

/** A matrix written as an array of rows. Rows must all have the same, non-zero length. */
export function readMatrix(rep: Reporter, v: JsonValue, path: JsonPath): Located<Matrix> | undefined {
  const where = formatPath(path);
  if (v.kind !== 'array') {
    rep.errorAt(v, path, `${where} must be a matrix (an array of rows, each an array of numbers), but it is ${describe(v)}.`);
    return undefined;
  }
  const rows = arraySize(v);
  if (rows === 0) {
    rep.errorAt(v, path, `${where} has no rows: a matrix needs at least one row of numbers.`);
    return undefined;
  }
  if (v.items === null) {
    rep.errorAt(v, path, `${where} is a flat list of numbers, but a matrix (an array of rows) is required; wrap a single row in another pair of brackets.`);
    return undefined;
  }
  const first = v.items[0];
  if (first.kind !== 'array') {
    rep.errorAt(first, [...path, 0], `${where} row 0 is ${describe(first)}, but each row must be an array of numbers.`);
    return undefined;
  }
  const cols = arraySize(first);
  if (cols === 0) {
    rep.errorAt(first, [...path, 0], `${where} has zero-width rows (row 0 has no numbers): each row needs at least one number.`);
    return undefined;
  }
  const data = new Float32Array(rows * cols);
  let ok = true;
  for (let i = 0; i < rows; i++) {
    const r = v.items[i];
    if (r.kind !== 'array') {
      rep.errorAt(r, [...path, i], `${where} row ${i} is ${describe(r)}, but each row must be an array of numbers.`);
      ok = false;
      continue;
    }
    const len = arraySize(r);
    if (len !== cols) {
      rep.errorAt(r, [...path, i], `${where} row ${i} has ${len} number${len === 1 ? '' : 's'}, but row 0 has ${cols}.`);
      ok = false;
      continue;
    }
    if (!readRowInto(rep, r, data, i * cols, [...path, i])) ok = false;
  }
  return ok ? { value: { rows, cols, data }, node: v, path } : undefined;
}

/** An array of strings (tokens, head names). `what` names one item in messages, e.g. "token". */
export function readStringArray(rep: Reporter, v: JsonValue, path: JsonPath, what: string): Located<string[]> | undefined {
  const where = formatPath(path);
  if (v.kind !== 'array') {
    rep.errorAt(v, path, `${where} must be an array of strings, but it is ${describe(v)}.`);
    return undefined;
  }
  const n = arraySize(v);
  if (n === 0) {
    rep.errorAt(v, path, `${where} is empty: give at least one ${what}.`);
    return undefined;
  }
  const out: string[] = new Array(n);
  let ok = true;
  for (let i = 0; i < n; i++) {
    const item = arrayItem(v, i);
    if (item.kind === 'string') out[i] = item.value as string;
    else {
      const hint = item.kind === 'number' && what === 'token' ? ' (write the token text, not its id)' : '';
      rep.errorAt(item, [...path, i], `${where}[${i}] is ${describe(item)}, but each ${what} must be a string${hint}.`);
      ok = false;
    }
  }
  return ok ? { value: out, node: v, path } : undefined;
}

export function readString(rep: Reporter, v: JsonValue, path: JsonPath): string | undefined {
  if (v.kind === 'string') return v.value as string;
  rep.errorAt(v, path, `${formatPath(path)} must be a string, but it is ${describe(v)}.`);
  return undefined;
}

export function expectObject(rep: Reporter, v: JsonValue, path: JsonPath, what: string): JsonObject | undefined {
  if (v.kind === 'object') return v;
  rep.errorAt(v, path, `${formatPath(path)} must be ${what}, but it is ${describe(v)}.`);
  return undefined;
}

export function expectArray(rep: Reporter, v: JsonValue, path: JsonPath, what: string): JsonArray | undefined {
  if (v.kind === 'array') return v;
  rep.errorAt(v, path, `${formatPath(path)} must be ${what}, but it is ${describe(v)}.`);
  return undefined;
}

/** Edit distance, for "did you mean" hints on unknown fields (short strings only). */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3 || a.length > 40 || b.length > 40) return 99;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

export function suggest(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const d = distance(lower, k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}

/** Warns about fields this format does not know (typos mostly), suggesting the nearest known name. */
export function warnUnknownKeys(rep: Reporter, o: JsonObject, path: JsonPath, known: readonly string[], hints: Readonly<Record<string, string>> = {}): void {
  for (const p of o.props) {
    if (known.includes(p.key)) continue;
    const hint = Object.prototype.hasOwnProperty.call(hints, p.key) ? hints[p.key] : undefined;
    const near = suggest(p.key, known);
    const extra = hint !== undefined ? ` ${hint}` : near !== undefined ? ` Did you mean "${near}"?` : '';
    const inside = path.length === 0 ? 'the top-level object' : formatPath(path);
    rep.warn(`Unknown field ${JSON.stringify(truncate(p.key))} in ${inside}; it is ignored.${extra}`, p.keyOffset, p.keyLength, [...path, p.key]);
  }
}
