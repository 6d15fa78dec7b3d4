"""Tiny tokenizer.json builders and an independent Python tokenizer for scripts/make-tiny-models.py.

Byte-level BPE (GPT-2, Qwen2, GPT-NeoX) and SentencePiece-style BPE (Llama 2, TinyLlama), trained on a small corpus.
Each gives ids with UTF-16 character ranges, the reference the TypeScript tokenizer is tested against.
"""
import math

import regex

GPT2_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
QWEN2_PATTERN = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
CORPUS = (
    "The cat sat on the mat. The dog sat on the log. Then the cat saw the dog, and the dog saw the cat. "
    "Attention is all you need; the heads attend to the tokens that matter. Café naïve 123 456."
)


def bytes_to_unicode():
    bs = list(range(33, 127)) + list(range(161, 173)) + list(range(174, 256))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


BYTE_CHAR = bytes_to_unicode()


def train_merges(words, count):
    """Plain BPE training on a list of symbol lists: most frequent pair first, ties by the pair's text."""
    words = [list(w) for w in words]
    merges = []
    for _ in range(count):
        pairs = {}
        for w in words:
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] = pairs.get((a, b), 0) + 1
        if not pairs:
            break
        best = min(pairs, key=lambda p: (-pairs[p], p))
        merges.append(best)
        for w in words:
            i = 0
            while i < len(w) - 1:
                if (w[i], w[i + 1]) == best:
                    w[i:i + 2] = [w[i] + w[i + 1]]
                else:
                    i += 1
    return merges


def bpe(symbols, ranks):
    """Merges the lowest-ranked adjacent pair until none is in `ranks`."""
    symbols = list(symbols)
    while len(symbols) > 1:
        pairs = [(ranks.get((a, b), math.inf), i) for i, (a, b) in enumerate(zip(symbols, symbols[1:]))]
        rank, i = min(pairs)
        if rank == math.inf:
            break
        symbols[i:i + 2] = [symbols[i] + symbols[i + 1]]
    return symbols


def utf16_len(s):
    return len(s.encode('utf-16-le')) // 2


def utf16_offset(text, byte_offset):
    """UTF-16 offset of the last character boundary at or before a UTF-8 byte offset."""
    return utf16_len(text.encode('utf-8')[:byte_offset].decode('utf-8', errors='ignore'))


class ByteLevelTokenizer:
    """GPT-2-style byte-level BPE; `pattern` is the pre-tokenizer regex (GPT-2's or Qwen2's)."""

    def __init__(self, merges_count, specials, pattern, qwen_style=False):
        words = [[BYTE_CHAR[b] for b in w.encode('utf-8')] for w in regex.findall(GPT2_PATTERN, CORPUS)]
        self.merges = train_merges(words, merges_count)
        self.vocab = {BYTE_CHAR[b]: i for i, b in enumerate(BYTE_CHAR)}
        for a, b in self.merges:
            self.vocab.setdefault(a + b, len(self.vocab))
        self.specials = {s: len(self.vocab) + i for i, s in enumerate(specials)}
        self.ranks = {m: i for i, m in enumerate(self.merges)}
        self.pattern = pattern
        self.qwen_style = qwen_style

    def size(self):
        return len(self.vocab) + len(self.specials)

    def encode(self, text):
        """[(id, start, end)] with UTF-16 ranges."""
        out, byte = [], 0
        for word in regex.findall(self.pattern, text):
            for piece in bpe([BYTE_CHAR[b] for b in word.encode('utf-8')], self.ranks):
                start = byte
                byte += len(piece)  # one character per byte
                out.append((self.vocab[piece], utf16_offset(text, start), utf16_offset(text, byte)))
        return out

    def json(self):
        added = [{'id': i, 'content': s, 'single_word': False, 'lstrip': False, 'rstrip': False, 'normalized': False, 'special': True}
                 for s, i in self.specials.items()]
        byte_level = {'type': 'ByteLevel', 'add_prefix_space': False, 'trim_offsets': True, 'use_regex': True}
        if self.qwen_style:
            normalizer = {'type': 'NFC'}
            pre = {'type': 'Sequence', 'pretokenizers': [
                {'type': 'Split', 'pattern': {'Regex': self.pattern}, 'behavior': 'Isolated', 'invert': False},
                dict(byte_level, use_regex=False)]}
        else:
            normalizer, pre = None, byte_level
        return {
            'version': '1.0', 'truncation': None, 'padding': None, 'added_tokens': added, 'normalizer': normalizer,
            'pre_tokenizer': pre, 'post_processor': dict(byte_level, trim_offsets=False), 'decoder': byte_level,
            'model': {'type': 'BPE', 'dropout': None, 'unk_token': None, 'continuing_subword_prefix': None, 'end_of_word_suffix': None,
                      'fuse_unk': False, 'byte_fallback': False, 'ignore_merges': False,
                      'vocab': self.vocab, 'merges': [f'{a} {b}' for a, b in self.merges]},
        }


class SentencePieceTokenizer:
    """Llama-2 / TinyLlama-style: "▁" for spaces and a leading "▁", BPE over the whole text, <0xNN> byte fallback."""

    def __init__(self, merges_count):
        text = '▁' + CORPUS.replace(' ', '▁')
        self.vocab = {'<unk>': 0, '<s>': 1, '</s>': 2}
        for b in range(256):
            self.vocab[f'<0x{b:02X}>'] = len(self.vocab)
        for ch in sorted(set(text)):
            if ord(ch) < 128 or ch == '▁':
                self.vocab[ch] = len(self.vocab)
        # Merges only over in-vocabulary characters: the others fall back to bytes, which never merge.
        words = [list(w) for w in regex.findall(r'▁?[^▁]+', text) if all(ch in self.vocab for ch in w)]
        self.merges = train_merges(words, merges_count)
        for a, b in self.merges:
            self.vocab.setdefault(a + b, len(self.vocab))
        self.ranks = {m: i for i, m in enumerate(self.merges)}

    def size(self):
        return len(self.vocab)

    def encode(self, text):
        out = []
        pos = -1  # index in the text of the next normalized character (−1: the prepended ▁, which covers nothing)
        for piece in bpe('▁' + text.replace(' ', '▁'), self.ranks):
            if piece in self.vocab:
                ids = [self.vocab[piece]]
            else:  # a single character outside the vocabulary: its UTF-8 bytes
                ids = [self.vocab[f'<0x{b:02X}>'] for b in piece.encode('utf-8')]
            start = max(pos, 0)
            pos += len(piece)
            end = max(pos, 0)
            s16, e16 = utf16_len(text[:start]), utf16_len(text[:end])
            for j, i in enumerate(ids):
                # byte-fallback pieces: all but the last cover nothing (the character completes on its last byte)
                out.append((i, s16, e16 if j == len(ids) - 1 else s16))
        return out

    def json(self):
        return {
            'version': '1.0', 'truncation': None, 'padding': None,
            'added_tokens': [{'id': i, 'content': s, 'single_word': False, 'lstrip': False, 'rstrip': False, 'normalized': False, 'special': True}
                             for s, i in [('<unk>', 0), ('<s>', 1), ('</s>', 2)]],
            'normalizer': {'type': 'Sequence', 'normalizers': [{'type': 'Prepend', 'prepend': '▁'}, {'type': 'Replace', 'pattern': {'String': ' '}, 'content': '▁'}]},
            'pre_tokenizer': None,
            'post_processor': {'type': 'TemplateProcessing', 'single': [{'SpecialToken': {'id': '<s>', 'type_id': 0}}, {'Sequence': {'id': 'A', 'type_id': 0}}],
                               'pair': [{'SpecialToken': {'id': '<s>', 'type_id': 0}}, {'Sequence': {'id': 'A', 'type_id': 0}}, {'SpecialToken': {'id': '<s>', 'type_id': 1}}, {'Sequence': {'id': 'B', 'type_id': 1}}],
                               'special_tokens': {'<s>': {'id': '<s>', 'ids': [1], 'tokens': ['<s>']}}},
            'decoder': {'type': 'Sequence', 'decoders': [{'type': 'Replace', 'pattern': {'String': '▁'}, 'content': ' '}, {'type': 'ByteFallback'}, {'type': 'Fuse'}, {'type': 'Strip', 'content': ' ', 'start': 1, 'stop': 0}]},
            'model': {'type': 'BPE', 'dropout': None, 'unk_token': '<unk>', 'continuing_subword_prefix': None, 'end_of_word_suffix': None,
                      'fuse_unk': True, 'byte_fallback': True, 'ignore_merges': False,
                      'vocab': self.vocab, 'merges': [f'{a} {b}' for a, b in self.merges]},
        }
