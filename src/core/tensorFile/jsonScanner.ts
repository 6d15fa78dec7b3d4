/**
 * The lexical half of the JSON-with-comments parser: whitespace and comments, strings, numbers and the
 * messages for what is not a value. Grammar: RFC 8259 JSON plus // line and /* block *\/ comments.
 */
import type { JsonScalar, SyntaxErrorInfo } from './json';

const WHITESPACE = /[ \t\n\r]*/y;
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/** Thrown at the first syntax error; buildTree turns it into its result. */
export class Stop {
  constructor(readonly info: SyntaxErrorInfo) {}
}

export class Scanner {
  pos = 0;
  readonly n: number;

  constructor(readonly text: string) {
    this.n = text.length;
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
}
