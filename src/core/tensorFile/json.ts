/**
 * A compact JSON-with-comments tree and the scanner that builds it.
 *
 * A general tree (jsonc-parser's `parseTree`) allocates one object per number, which for a 64 MB file of
 * attention weights is close to a gigabyte of heap, and its callback-based scanner is ~6× slower than
 * JSON.parse. Here an array whose items are all numbers keeps them packed in three flat arrays (values,
 * offsets, lengths), read by a tight loop; only arrays that mix kinds hold item objects.
 *
 * Grammar: RFC 8259 JSON plus // line and /* block *\/ comments. Trailing commas are errors.
 */
import { MAX_DEPTH, MAX_PROBLEMS } from './limits';

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

const WHITESPACE = /[ \t\n\r]*/y;
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

class Stop {
  constructor(readonly info: SyntaxErrorInfo) {}
}

/** Recursive descent over the text; depth is bounded (MAX_DEPTH) so recursion is safe. */
class Parser {
  pos = 0;
  readonly n: number;
  readonly pool: NumberPool;
  readonly duplicates: DuplicateKey[] = [];
  duplicateCount = 0;
  /** Keys and indices from the root to the value being parsed, so a duplicate's path costs O(depth), not a tree walk. */
  private readonly path: JsonPath = [];

  constructor(readonly text: string) {
    this.n = text.length;
    this.pool = new NumberPool(text);
  }

  fail(message: string, offset: number, length = 1): never {
    throw new Stop({ message, offset: Math.min(offset, this.n), length: Math.max(0, Math.min(length, this.n - offset)) });
  }

  /** Skips whitespace and comments. */
  trivia(): void {
    const text = this.text;
    const n = this.n;
    let i = this.pos;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) {
        i++;
        const d = text.charCodeAt(i);
        if (d === 32 || d === 10 || d === 13 || d === 9) {
          // A run of whitespace (indentation, padding): let the regex engine skip it.
          WHITESPACE.lastIndex = i;
          WHITESPACE.test(text);
          i = WHITESPACE.lastIndex;
        }
      } else if (c === 47 /* / */) {
        const d = text.charCodeAt(i + 1);
        if (d === 47) {
          i += 2;
          while (i < n) {
            const e = text.charCodeAt(i);
            if (e === 10 || e === 13) break;
            i++;
          }
        } else if (d === 42) {
          const end = text.indexOf('*/', i + 2);
          if (end < 0) this.fail("Unterminated block comment: expected '*/'", i, 2);
          i = end + 2;
        } else {
          this.fail("Unexpected character '/': comments start with // or /*", i);
        }
      } else {
        break;
      }
    }
    this.pos = i;
  }

  describeHere(): string {
    if (this.pos >= this.n) return 'the end of the file';
    if (this.text.charCodeAt(this.pos) === 34) {
      const end = this.text.indexOf('"', this.pos + 1);
      if (end > 0 && end - this.pos <= 40 && !/[\r\n]/.test(this.text.slice(this.pos, end))) return this.text.slice(this.pos, end + 1);
    }
    const word = /^[A-Za-z_][\w]*/.exec(this.text.slice(this.pos, this.pos + 20));
    if (word !== null) return word[0];
    return JSON.stringify(this.text[this.pos]);
  }

  value(depth: number): JsonValue {
    this.trivia();
    const text = this.text;
    const c = text.charCodeAt(this.pos);
    if (c === 123) return this.object(depth + 1);
    if (c === 91) return this.array(depth + 1);
    if (c === 34) {
      const start = this.pos;
      const s = this.string();
      return { kind: 'string', value: s, offset: start, length: this.pos - start };
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      const start = this.pos;
      const v = this.number();
      return { kind: 'number', value: v, offset: start, length: this.pos - start };
    }
    if (text.startsWith('true', this.pos)) return this.literal('boolean', true, 4);
    if (text.startsWith('false', this.pos)) return this.literal('boolean', false, 5);
    if (text.startsWith('null', this.pos)) return this.literal('null', null, 4);
    this.unexpectedValue();
  }

  literal(kind: 'boolean' | 'null', value: boolean | null, len: number): JsonScalar {
    const offset = this.pos;
    this.pos += len;
    return { kind, value, offset, length: len };
  }

  unexpectedValue(): never {
    const at = this.pos;
    if (at >= this.n) this.fail('Unexpected end of file: expected a value', at, 0);
    const rest = this.text.slice(at, at + 12);
    const special = /^(-?Infinity|NaN|-?inf\b|nan\b)/.exec(rest);
    if (special !== null) {
      this.fail(`${special[0]} is not valid JSON: only finite numbers are allowed (Python's json.dump writes NaN and Infinity; replace them before saving)`, at, special[0].length);
    }
    const c = this.text[at];
    if (c === "'") this.fail('Strings need double quotes ("…"), not single quotes', at);
    if (c === '+') this.fail('Invalid number: JSON numbers cannot start with +', at);
    if (c === '.') this.fail('Invalid number: write a digit before the decimal point (0.5, not .5)', at);
    if (c === '}' || c === ']') this.fail(`Expected a value before '${c}'`, at);
    const word = /^[A-Za-z_]\w*/.exec(rest);
    if (word !== null) this.fail(`Unexpected word ${JSON.stringify(word[0])}: expected a value (a number, "string", true, false, null, [array] or {object})`, at, word[0].length);
    this.fail(`Unexpected character ${JSON.stringify(c)}: expected a value`, at);
  }

  string(): string {
    const text = this.text;
    const n = this.n;
    const start = this.pos;
    let i = start + 1;
    let out = '';
    let chunk = i;
    for (;;) {
      if (i >= n) this.fail('Unterminated string: expected a closing double quote', start, i - start);
      const c = text.charCodeAt(i);
      if (c === 34) {
        out += text.slice(chunk, i);
        this.pos = i + 1;
        return out;
      }
      if (c === 92) {
        out += text.slice(chunk, i);
        const e = text.charCodeAt(i + 1);
        switch (e) {
          case 34: out += '"'; break;
          case 92: out += '\\'; break;
          case 47: out += '/'; break;
          case 98: out += '\b'; break;
          case 102: out += '\f'; break;
          case 110: out += '\n'; break;
          case 114: out += '\r'; break;
          case 116: out += '\t'; break;
          case 117: {
            const hex = text.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Invalid unicode escape: \\u must be followed by four hex digits', i, 2 + hex.length);
            out += String.fromCharCode(parseInt(hex, 16));
            i += 4;
            break;
          }
          default:
            this.fail(i + 1 >= n ? 'Unterminated string: expected a closing double quote' : `Invalid escape \\${text[i + 1]} in string`, i, 2);
        }
        i += 2;
        chunk = i;
        continue;
      }
      if (c < 32) {
        if (c === 10 || c === 13) this.fail('Unterminated string: expected a closing double quote before the end of the line', start, i - start);
        this.fail('Invalid character in string: control characters such as tabs must be escaped (\\t)', i);
      }
      i++;
    }
  }

  /** A JSON number; the common short decimals are converted without allocating (exact, correctly rounded). */
  number(): number {
    const text = this.text;
    const n = this.n;
    const start = this.pos;
    let i = start;
    let neg = false;
    if (text.charCodeAt(i) === 45) {
      neg = true;
      i++;
    }
    let mant = 0;
    let digits = 0;
    let scale = 0;
    let exact = true;
    let c = text.charCodeAt(i);
    if (c === 48) {
      i++;
      c = text.charCodeAt(i);
      if (c >= 48 && c <= 57) this.fail('Invalid number: leading zeros are not allowed', start, i + 1 - start);
    } else if (c >= 49 && c <= 57) {
      while (c >= 48 && c <= 57) {
        if (digits < 15) {
          mant = mant * 10 + (c - 48);
          digits++;
        } else {
          exact = false;
        }
        i++;
        c = text.charCodeAt(i);
      }
    } else {
      this.pos = start;
      if (text.startsWith('Infinity', i)) this.unexpectedValue();
      this.fail('Invalid number: expected a digit after -', start, i + 1 - start);
    }
    if (c === 46) {
      i++;
      c = text.charCodeAt(i);
      if (!(c >= 48 && c <= 57)) this.fail('Invalid number: expected a digit after the decimal point', start, i - start);
      while (c >= 48 && c <= 57) {
        if (mant === 0 && c === 48) {
          scale--; // leading zeros of a fraction do not use precision
        } else if (digits < 15) {
          mant = mant * 10 + (c - 48);
          digits++;
          scale--;
        } else {
          exact = false;
        }
        i++;
        c = text.charCodeAt(i);
      }
    }
    if (c === 101 || c === 69) {
      i++;
      c = text.charCodeAt(i);
      let eneg = false;
      if (c === 43 || c === 45) {
        eneg = c === 45;
        i++;
        c = text.charCodeAt(i);
      }
      if (!(c >= 48 && c <= 57)) this.fail('Invalid number: expected a digit in the exponent', start, i - start);
      let e = 0;
      while (c >= 48 && c <= 57) {
        if (e < 100000) e = e * 10 + (c - 48);
        i++;
        c = text.charCodeAt(i);
      }
      scale += eneg ? -e : e;
    }
    this.pos = i;
    if (i < n && ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) {
      this.fail('Invalid number', start, i + 1 - start);
    }
    let v: number;
    if (mant === 0) v = 0;
    else if (exact && scale >= -22 && scale <= 22) v = scale < 0 ? mant / POW10[-scale] : mant * POW10[scale];
    else return Number(text.slice(start, i));
    return neg ? -v : v;
  }

  array(depth: number): JsonArray {
    if (depth > MAX_DEPTH) this.fail(`Brackets nest more than ${MAX_DEPTH} levels deep, the limit (an attention file needs at most 6)`, this.pos);
    const text = this.text;
    const pool = this.pool;
    const a: JsonArray = { kind: 'array', offset: this.pos, length: 1, items: null, pool, numStart: pool.count, numCount: 0 };
    this.pos++;
    this.trivia();
    if (text.charCodeAt(this.pos) === 93) {
      this.pos++;
      a.length = this.pos - a.offset;
      return a;
    }
    for (;;) {
      this.trivia();
      const c = text.charCodeAt(this.pos);
      if (a.items === null && (c === 45 || (c >= 48 && c <= 57))) {
        // Packed numbers stay contiguous in the pool: nothing else is pushed until the array ends or
        // meets a non-number (then it switches to items, below).
        const start = this.pos;
        pool.push(this.number(), start);
        a.numCount++;
      } else {
        this.path.push(arraySize(a));
        const v = this.value(depth);
        this.path.pop();
        if (a.items === null) {
          const items: JsonValue[] = new Array(a.numCount);
          for (let k = 0; k < a.numCount; k++) items[k] = arrayItem(a, k);
          items.push(v);
          a.items = items;
          a.numCount = 0;
        } else {
          a.items.push(v);
        }
      }
      this.trivia();
      const d = text.charCodeAt(this.pos);
      if (d === 44) {
        const comma = this.pos;
        this.pos++;
        this.trivia();
        if (text.charCodeAt(this.pos) === 93) {
          this.fail("Trailing comma before ']': JSON does not allow a comma after the last item; remove it", comma);
        }
        continue;
      }
      if (d === 93) {
        this.pos++;
        a.length = this.pos - a.offset;
        return a;
      }
      if (this.pos >= this.n) this.fail("Unexpected end of file: expected a comma or closing bracket ']'", this.pos, 0);
      this.fail(`Expected a comma or closing bracket ']', but found ${this.describeHere()}`, this.pos);
    }
  }

  object(depth: number): JsonObject {
    if (depth > MAX_DEPTH) this.fail(`Brackets nest more than ${MAX_DEPTH} levels deep, the limit (an attention file needs at most 6)`, this.pos);
    const text = this.text;
    const o: JsonObject = { kind: 'object', offset: this.pos, length: 1, props: [] };
    let keys: Map<string, number> | undefined;
    this.pos++;
    this.trivia();
    if (text.charCodeAt(this.pos) === 125) {
      this.pos++;
      o.length = this.pos - o.offset;
      return o;
    }
    for (;;) {
      this.trivia();
      const keyOffset = this.pos;
      const c = text.charCodeAt(keyOffset);
      if (c !== 34) {
        if (keyOffset >= this.n) this.fail('Unexpected end of file: expected a property name in double quotes', keyOffset, 0);
        if (c === 39) this.fail('Property names need double quotes ("name"), not single quotes', keyOffset);
        this.fail(`Expected a property name in double quotes, but found ${this.describeHere()}`, keyOffset);
      }
      const key = this.string();
      const keyLength = this.pos - keyOffset;
      // Duplicate keys: a linear scan for small objects, a map for big ones.
      let first: number | undefined;
      if (keys !== undefined) first = keys.get(key);
      else {
        for (const p of o.props) if (p.key === key) { first = p.keyOffset; break; }
        if (o.props.length >= 16) keys = new Map(o.props.map((p) => [p.key, p.keyOffset] as [string, number]).reverse());
      }
      if (first !== undefined) {
        if (this.duplicateCount++ < MAX_PROBLEMS) this.duplicates.push({ key, offset: keyOffset, length: keyLength, firstOffset: first, path: [...this.path, key] });
      }
      else if (keys !== undefined) keys.set(key, keyOffset);
      this.trivia();
      if (text.charCodeAt(this.pos) !== 58) {
        if (this.pos >= this.n) this.fail("Unexpected end of file: expected ':' after the property name", this.pos, 0);
        this.fail(`Expected ':' after the property name ${JSON.stringify(key.slice(0, 40))}, but found ${this.describeHere()}`, this.pos);
      }
      this.pos++;
      this.path.push(key);
      const value = this.value(depth);
      this.path.pop();
      o.props.push({ key, keyOffset, keyLength, value });
      this.trivia();
      const d = text.charCodeAt(this.pos);
      if (d === 44) {
        const comma = this.pos;
        this.pos++;
        this.trivia();
        if (text.charCodeAt(this.pos) === 125) {
          this.fail("Trailing comma before '}': JSON does not allow a comma after the last property; remove it", comma);
        }
        continue;
      }
      if (d === 125) {
        this.pos++;
        o.length = this.pos - o.offset;
        return o;
      }
      if (this.pos >= this.n) this.fail("Unexpected end of file: expected a comma or closing brace '}'", this.pos, 0);
      this.fail(`Expected a comma or closing brace '}', but found ${this.describeHere()}`, this.pos);
    }
  }
}

/**
 * Parses JSON with comments into a compact tree, stopping at the first syntax error. Nesting deeper than
 * MAX_DEPTH is refused as it is met, so recursion stays shallow whatever the input. Never throws.
 */
export function buildTree(text: string): BuiltTree {
  const p = new Parser(text);
  try {
    p.trivia();
    if (p.pos >= p.n) return { root: undefined, syntaxError: undefined, duplicates: [], duplicateCount: 0 };
    const root = p.value(0);
    p.trivia();
    if (p.pos < p.n) p.fail(`Expected the end of the file after the top-level value, but found ${p.describeHere()}`, p.pos);
    return { root, syntaxError: undefined, duplicates: p.duplicates, duplicateCount: p.duplicateCount };
  } catch (e) {
    if (e instanceof Stop) return { root: undefined, syntaxError: e.info, duplicates: [], duplicateCount: 0 };
    throw e;
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
