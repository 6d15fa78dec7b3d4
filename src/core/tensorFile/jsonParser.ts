/**
 * Builds the compact tree (json.ts) from JSON with comments. Trailing commas are errors; the first syntax
 * error stops the parse, since later ones are mostly echoes.
 */
import { type DuplicateKey, type JsonArray, type JsonObject, type JsonPath, type JsonValue, type BuiltTree, NumberPool, arrayItem, arraySize } from './json';
import { Scanner, Stop } from './jsonScanner';
import { MAX_DEPTH, MAX_PROBLEMS } from './limits';

/** Recursive descent over the text; depth is bounded (MAX_DEPTH) so recursion is safe. */
class Parser extends Scanner {
  readonly pool: NumberPool;
  readonly duplicates: DuplicateKey[] = [];
  duplicateCount = 0;
  /** Keys and indices from the root to the value being parsed, so a duplicate's path costs O(depth), not a tree walk. */
  private readonly path: JsonPath = [];

  constructor(text: string) {
    super(text);
    this.pool = new NumberPool(text);
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
