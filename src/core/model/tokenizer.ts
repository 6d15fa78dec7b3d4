/**
 * tokenizer.json through @huggingface/tokenizers, plus each token's UTF-16 range in the text. The library gives ids
 * and token strings but no offsets, so ranges come from aligning each token's bytes with the text's UTF-8 bytes:
 * byte-level BPE (GPT-2, Llama 3, Qwen2, Pythia) maps token characters back to bytes through GPT-2's byte table;
 * SentencePiece-style vocabularies use "▁" for spaces and <0xNN> byte fallbacks.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { ModelError, type ModelToken, type ModelTokenizer } from './types';

/** GPT-2's reversible byte ↔ printable-character table, inverted: character → byte. */
function byteDecoder(): Map<string, number> {
  const bytes: number[] = [];
  for (let b = 33; b <= 126; b++) bytes.push(b);
  for (let b = 161; b <= 172; b++) bytes.push(b);
  for (let b = 174; b <= 255; b++) bytes.push(b);
  const chars = bytes.slice();
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    if (!bytes.includes(b)) {
      bytes.push(b);
      chars.push(256 + extra++);
    }
  }
  return new Map(bytes.map((b, i) => [String.fromCodePoint(chars[i]), b]));
}

const encoder = new TextEncoder();

function usesByteLevel(json: Record<string, unknown>): boolean {
  return JSON.stringify([json.pre_tokenizer, json.decoder]).includes('"ByteLevel"');
}

/** Whether the pipeline adds a "▁" before the text (Llama 2's Prepend normalizer, Metaspace's prepend scheme). */
function prependsSpace(json: Record<string, unknown>): boolean {
  const text = JSON.stringify([json.normalizer, json.pre_tokenizer]);
  return text.includes('"Prepend"') || (text.includes('"Metaspace"') && !text.includes('"prepend_scheme":"never"') && !text.includes('"add_prefix_space":false'));
}

/** UTF-16 offset of every UTF-8 byte boundary of `text` (index: byte offset). */
function byteToUtf16(text: string): Int32Array {
  const map = new Int32Array(encoder.encode(text).length + 1).fill(-1);
  let byte = 0;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i) as number;
    map[byte] = i;
    byte += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += cp > 0xffff ? 2 : 1;
  }
  map[byte] = text.length;
  // Offsets inside a multi-byte character round back to its start.
  for (let b = 1; b < map.length; b++) if (map[b] < 0) map[b] = map[b - 1];
  return map;
}

export function loadTokenizer(text: string): ModelTokenizer {
  let json: Record<string, unknown>;
  let tokenizer: Tokenizer;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
    tokenizer = new Tokenizer(json, {});
  } catch (e) {
    throw new ModelError(`tokenizer.json cannot be read (${e instanceof Error ? e.message : String(e)}).`, 'tokenizer.json');
  }
  const vocab = tokenizer.get_vocab(true);
  let vocabSize = 0;
  for (const id of vocab.values()) vocabSize = Math.max(vocabSize, id + 1);
  const added = tokenizer.get_added_tokens_decoder();
  const byteLevel = usesByteLevel(json);
  const prepended = prependsSpace(json);
  const table = byteDecoder();

  const tokenBytes = (id: number, piece: string): Uint8Array => {
    const addedToken = added.get(id);
    if (addedToken) return encoder.encode(addedToken.content);
    if (byteLevel) return Uint8Array.from([...piece].map((ch) => table.get(ch) ?? 0x3f));
    const fallback = /^<0x([0-9A-Fa-f]{2})>$/.exec(piece);
    if (fallback) return Uint8Array.of(parseInt(fallback[1], 16));
    return encoder.encode(piece.replaceAll('▁', ' '));
  };

  return {
    vocabSize,
    tokenText: (id) => tokenizer.id_to_token(id),
    encode(input: string): ModelToken[] {
      const { ids, tokens } = tokenizer.encode(input, { add_special_tokens: false });
      const textBytes = encoder.encode(input);
      const toUtf16 = byteToUtf16(input);
      let cursor = 0;
      let prefixPending = prepended;
      return ids.map((id, i) => {
        let bytes = tokenBytes(id, tokens[i]);
        // The prepended "▁" has no counterpart in the text: the first token that carries a space drops it.
        if (prefixPending && !added.has(id) && bytes.length > 0) {
          prefixPending = false;
          if (bytes[0] === 0x20) bytes = bytes.subarray(1);
        }
        const start = cursor;
        cursor = Math.min(textBytes.length, cursor + bytes.length);
        const from = toUtf16[start];
        const to = toUtf16[cursor];
        return { id, text: input.slice(from, to) || tokens[i], start: from, end: to, fromText: true };
      });
    },
  };
}
