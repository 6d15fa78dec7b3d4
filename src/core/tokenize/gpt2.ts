import { decode, encode } from 'gpt-tokenizer/encoding/r50k_base';
import type { Token } from '../types';

/** How many characters past the expected position a decoded piece may be found when re-syncing. */
const RESYNC_WINDOW = 8;

/**
 * GPT-2 byte-level BPE (r50k_base). Special-token strings such as <|endoftext|> are
 * tokenized as plain text. Pieces are decoded token by token, in order: gpt-tokenizer decodes
 * through one streaming UTF-8 decoder, so a character split across tokens appears in the token
 * that completes it; the tokens before get an empty range at that character and the text
 * "\uFFFD". Pieces that do not match the text are re-synced, so ranges are monotonic, stay
 * inside the text and together cover all of it whatever the decoder does.
 */
export function tokenizeGpt2(text: string): Token[] {
  const ids = encode(text, { disallowedSpecial: new Set() });
  const tokens: Token[] = [];
  let pos = 0;
  for (const id of ids) {
    const piece = decode([id]);
    if (piece.length > 0 && text.startsWith(piece, pos)) {
      tokens.push({ text: piece, start: pos, end: pos + piece.length });
      pos += piece.length;
      continue;
    }
    // A fragment of a multi-byte character, or text that does not round-trip (lone surrogates).
    const found = piece.length > 0 ? text.indexOf(piece, pos) : -1;
    if (found >= 0 && found <= pos + RESYNC_WINDOW) {
      const end = found + piece.length;
      tokens.push({ text: text.slice(pos, end), start: pos, end });
      pos = end;
    } else {
      tokens.push({ text: '\uFFFD', start: pos, end: pos });
    }
  }
  if (tokens.length > 0 && pos < text.length) {
    const last = tokens[tokens.length - 1];
    tokens[tokens.length - 1] = { text: text.slice(last.start), start: last.start, end: text.length };
  }
  return tokens;
}
