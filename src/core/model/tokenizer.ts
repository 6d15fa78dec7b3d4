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

/**
 * Whether the pipeline puts a "▁" before every text, even one that starts with a space: Llama 2's Prepend normalizer.
 * Metaspace's prepend schemes and ByteLevel's add_prefix_space add one only before a text that does not start with a
 * space (as @huggingface/tokenizers does).
 */
function alwaysPrepends(json: Record<string, unknown>): boolean {
  return JSON.stringify([json.normalizer]).includes('"Prepend"');
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

/** Whether a post-processor puts a special token before the sequence (TemplateProcessing's "single" template). */
function addsBos(processor: unknown): boolean | null {
  if (typeof processor !== 'object' || processor === null) return null;
  const p = processor as { type?: unknown; single?: unknown; processors?: unknown };
  if (p.type === 'TemplateProcessing' && Array.isArray(p.single)) {
    const first = p.single[0] as Record<string, unknown> | undefined;
    return first !== undefined && 'SpecialToken' in first;
  }
  if (p.type === 'Sequence' && Array.isArray(p.processors)) {
    const found = p.processors.map(addsBos).find((x) => x !== null);
    return found ?? null;
  }
  return p.type === 'ByteLevel' ? false : null;
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
  const prependsAlways = alwaysPrepends(json);
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
    addsBos: addsBos(json.post_processor),
    tokenText: (id) => tokenizer.id_to_token(id),
    decode: (ids) => tokenizer.decode([...ids], { skip_special_tokens: false, clean_up_tokenization_spaces: false }),
    encode(input: string): ModelToken[] {
      const { ids, tokens } = tokenizer.encode(input, { add_special_tokens: false });
      const textBytes = encoder.encode(input);
      const toUtf16 = byteToUtf16(input);
      let cursor = 0;
      // A "▁" or space the pipeline put before the text has no counterpart in it: the first token that carries it drops
      // it. Without the Prepend normalizer, only a pipeline that adds one makes the first token start with a space.
      let prefixPending = prependsAlways || !input.startsWith(' ');
      return ids.map((id, i) => {
        let bytes = tokenBytes(id, tokens[i]);
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
