#!/usr/bin/env python3
"""Tiny random checkpoints in each family's exact Hugging Face layout, their tokenizer.json files, and goldens.

Writes test/fixtures/models/<family>/ (config.json, safetensors weights, tokenizer.json) and
test/fixtures/models/<family>.golden.json: every layer/head's attention weights and the logits of every position,
computed here by an independent float64 numpy forward pass, plus tokenizer ids and UTF-16 character ranges.
Needs python3, numpy and regex only; the tests read the committed outputs, so no Python runs at test time.

    python3 scripts/make-tiny-models.py
"""
import json
import math
import os
import struct

import numpy as np
import regex

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'models')
GPT2_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
QWEN2_PATTERN = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
CORPUS = (
    "The cat sat on the mat. The dog sat on the log. Then the cat saw the dog, and the dog saw the cat. "
    "Attention is all you need; the heads attend to the tokens that matter. Café naïve 123 456."
)
MODEL_TEXT = "The cat sat on the mat, then the dog sat on the log."
TOKENIZER_TEXTS = ["The cat sat on the mat.", "Café naïve 🙂 x  y\n\nz", "  leading and trailing  ", "123 4567 it's"]


# ---------------------------------------------------------------- safetensors

def to_bf16_bits(a):
    """float32 → bfloat16 bit patterns, round to nearest even."""
    u = np.ascontiguousarray(a, dtype='<f4').view('<u4').astype(np.uint64)
    rounded = (u + 0x7FFF + ((u >> 16) & 1)) >> 16
    return rounded.astype('<u2')


def store(a, dtype):
    """(bytes to write, the float64 values a reader gets back)."""
    if dtype == 'F32':
        s = np.asarray(a, dtype='<f4')
        return s.tobytes(), s.astype(np.float64)
    if dtype == 'F16':
        s = np.asarray(a, dtype='<f2')
        return s.tobytes(), s.astype(np.float64)
    bits = to_bf16_bits(np.asarray(a, dtype=np.float32))
    back = (bits.astype(np.uint32) << 16).view(np.float32).astype(np.float64)
    return bits.tobytes(), back


def write_safetensors(path, tensors):
    """tensors: name → (dtype, shape, bytes). Header padded with spaces to 8 bytes, as the reference writer does."""
    header, blobs, offset = {'__metadata__': {'format': 'pt'}}, [], 0
    for name in sorted(tensors):
        dtype, shape, data = tensors[name]
        header[name] = {'dtype': dtype, 'shape': list(shape), 'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * (-len(text) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text + b''.join(blobs))


class Weights:
    """Draws random tensors, remembers the stored (rounded) values the reference must use."""

    def __init__(self, seed, dtype):
        self.rng = np.random.default_rng(seed)
        self.dtype = dtype
        self.files = {}
        self.values = {}

    def add(self, name, shape, std, mean=0.0):
        data, back = store(mean + std * self.rng.standard_normal(shape), self.dtype)
        self.files[name] = (self.dtype, shape, data)
        self.values[name] = back.reshape(shape)
        return self.values[name]

    def buffer(self, name, array):
        """A non-parameter buffer (GPT-2's causal mask), stored as F32."""
        self.files[name] = ('F32', array.shape, np.asarray(array, '<f4').tobytes())


# ---------------------------------------------------------------- tokenizers

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


# ---------------------------------------------------------------- float64 reference forward passes

def layer_norm(x, w, b, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


def rms_norm(x, w, eps):
    return x / np.sqrt((x ** 2).mean(-1, keepdims=True) + eps) * w


def gelu_tanh(x):
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))


def gelu_erf(x):
    return 0.5 * x * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))


def silu(x):
    return x / (1 + np.exp(-x))


def causal_softmax(q, k):
    """q, k: T × d. Returns the weights, T × T, masked cells exactly 0."""
    t, d = q.shape
    s = q @ k.T / math.sqrt(d)
    s = np.where(np.tril(np.ones((t, t), bool)), s, -np.inf)
    e = np.exp(s - s.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def rope(x, dims, theta):
    """Hugging Face rotate_half RoPE on the first `dims` columns of x (T × head_dim)."""
    t = x.shape[0]
    inv_freq = 1.0 / theta ** (np.arange(0, dims, 2) / dims)
    freqs = np.outer(np.arange(t), inv_freq)
    emb = np.concatenate([freqs, freqs], -1)
    rot, rest = x[:, :dims], x[:, dims:]
    half = dims // 2
    rotated = np.concatenate([-rot[:, half:], rot[:, :half]], -1)
    return np.concatenate([rot * np.cos(emb) + rotated * np.sin(emb), rest], -1)


def gpt2_forward(c, W, ids):
    D, H = c['n_embd'], c['n_head']
    hd = D // H
    h = W['wte.weight'][ids] + W['wpe.weight'][:len(ids)]
    weights = []
    for i in range(c['n_layer']):
        p = f'h.{i}.'
        a = layer_norm(h, W[p + 'ln_1.weight'], W[p + 'ln_1.bias'], c['layer_norm_epsilon'])
        qkv = a @ W[p + 'attn.c_attn.weight'] + W[p + 'attn.c_attn.bias']
        q, k, v = qkv[:, :D], qkv[:, D:2 * D], qkv[:, 2 * D:]
        heads, zs = [], []
        for j in range(H):
            sl = slice(j * hd, (j + 1) * hd)
            w = causal_softmax(q[:, sl], k[:, sl])
            heads.append(w)
            zs.append(w @ v[:, sl])
        weights.append(heads)
        h = h + np.concatenate(zs, -1) @ W[p + 'attn.c_proj.weight'] + W[p + 'attn.c_proj.bias']
        m = layer_norm(h, W[p + 'ln_2.weight'], W[p + 'ln_2.bias'], c['layer_norm_epsilon'])
        h = h + gelu_tanh(m @ W[p + 'mlp.c_fc.weight'] + W[p + 'mlp.c_fc.bias']) @ W[p + 'mlp.c_proj.weight'] + W[p + 'mlp.c_proj.bias']
    x = layer_norm(h, W['ln_f.weight'], W['ln_f.bias'], c['layer_norm_epsilon'])
    return weights, x @ W['wte.weight'].T


def llama_forward(c, W, ids):
    H, KV = c['num_attention_heads'], c['num_key_value_heads']
    hd = c.get('head_dim') or c['hidden_size'] // H
    eps, theta = c['rms_norm_eps'], c['rope_theta']
    h = W['model.embed_tokens.weight'][ids]
    weights = []
    for i in range(c['num_hidden_layers']):
        p = f'model.layers.{i}.'

        def proj(name, x):
            y = x @ W[p + name + '.weight'].T
            return y + W[p + name + '.bias'] if p + name + '.bias' in W else y
        a = rms_norm(h, W[p + 'input_layernorm.weight'], eps)
        q, k, v = proj('self_attn.q_proj', a), proj('self_attn.k_proj', a), proj('self_attn.v_proj', a)
        ks = [rope(k[:, g * hd:(g + 1) * hd], hd, theta) for g in range(KV)]
        vs = [v[:, g * hd:(g + 1) * hd] for g in range(KV)]
        heads, zs = [], []
        for j in range(H):
            g = j // (H // KV)
            w = causal_softmax(rope(q[:, j * hd:(j + 1) * hd], hd, theta), ks[g])
            heads.append(w)
            zs.append(w @ vs[g])
        weights.append(heads)
        h = h + proj('self_attn.o_proj', np.concatenate(zs, -1))
        m = rms_norm(h, W[p + 'post_attention_layernorm.weight'], eps)
        h = h + proj('mlp.down_proj', silu(proj('mlp.gate_proj', m)) * proj('mlp.up_proj', m))
    x = rms_norm(h, W['model.norm.weight'], eps)
    head = W['model.embed_tokens.weight'] if c['tie_word_embeddings'] else W['lm_head.weight']
    return weights, x @ head.T


def neox_forward(c, W, ids):
    D, H = c['hidden_size'], c['num_attention_heads']
    hd = D // H
    rot = int(hd * c['rotary_pct'])
    eps = c['layer_norm_eps']
    h = W['gpt_neox.embed_in.weight'][ids]
    weights = []
    for i in range(c['num_hidden_layers']):
        p = f'gpt_neox.layers.{i}.'

        def lin(name, x):
            return x @ W[p + name + '.weight'].T + W[p + name + '.bias']
        a = layer_norm(h, W[p + 'input_layernorm.weight'], W[p + 'input_layernorm.bias'], eps)
        qkv = lin('attention.query_key_value', a).reshape(len(ids), H, 3 * hd)
        heads, zs = [], []
        for j in range(H):
            q = rope(qkv[:, j, :hd], rot, c['rotary_emb_base'])
            k = rope(qkv[:, j, hd:2 * hd], rot, c['rotary_emb_base'])
            w = causal_softmax(q, k)
            heads.append(w)
            zs.append(w @ qkv[:, j, 2 * hd:])
        weights.append(heads)
        attn = lin('attention.dense', np.concatenate(zs, -1))
        m = layer_norm(h, W[p + 'post_attention_layernorm.weight'], W[p + 'post_attention_layernorm.bias'], eps)
        h = h + attn + lin('mlp.dense_4h_to_h', gelu_erf(lin('mlp.dense_h_to_4h', m)))
    x = layer_norm(h, W['gpt_neox.final_layer_norm.weight'], W['gpt_neox.final_layer_norm.bias'], eps)
    return weights, x @ W['embed_out.weight'].T


# ---------------------------------------------------------------- the four tiny models

def gpt2_model(tok):
    c = {'model_type': 'gpt2', 'architectures': ['GPT2LMHeadModel'], 'n_layer': 2, 'n_head': 2, 'n_embd': 32, 'n_positions': 32, 'n_ctx': 32,
         'vocab_size': tok.size(), 'layer_norm_epsilon': 1e-5, 'activation_function': 'gelu_new', 'n_inner': None,
         'bos_token_id': tok.specials['<|endoftext|>'], 'eos_token_id': tok.specials['<|endoftext|>']}
    D = c['n_embd']
    w = Weights(11, 'F32')
    w.add('wte.weight', (c['vocab_size'], D), 0.5)
    w.add('wpe.weight', (c['n_positions'], D), 0.2)
    for i in range(c['n_layer']):
        p = f'h.{i}.'
        w.add(p + 'ln_1.weight', (D,), 0.1, 1.0)
        w.add(p + 'ln_1.bias', (D,), 0.1)
        w.add(p + 'attn.c_attn.weight', (D, 3 * D), 0.3)
        w.add(p + 'attn.c_attn.bias', (3 * D,), 0.1)
        w.add(p + 'attn.c_proj.weight', (D, D), 0.2)
        w.add(p + 'attn.c_proj.bias', (D,), 0.1)
        w.add(p + 'ln_2.weight', (D,), 0.1, 1.0)
        w.add(p + 'ln_2.bias', (D,), 0.1)
        w.add(p + 'mlp.c_fc.weight', (D, 4 * D), 0.4)
        w.add(p + 'mlp.c_fc.bias', (4 * D,), 0.3)
        w.add(p + 'mlp.c_proj.weight', (4 * D, D), 0.2)
        w.add(p + 'mlp.c_proj.bias', (D,), 0.1)
        # The causal-mask buffers old exports carry: a reader must ignore them.
        w.buffer(p + 'attn.bias', np.tril(np.ones((1, 1, c['n_positions'], c['n_positions']))))
    w.add('ln_f.weight', (D,), 0.1, 1.0)
    w.add('ln_f.bias', (D,), 0.1)
    return c, w, gpt2_forward


def llama_model(tok, family):
    qwen = family == 'qwen2'
    c = {'model_type': family, 'architectures': ['Qwen2ForCausalLM' if qwen else 'LlamaForCausalLM'], 'num_hidden_layers': 2,
         'hidden_size': 32, 'num_attention_heads': 2 if qwen else 4, 'num_key_value_heads': 1 if qwen else 2, 'intermediate_size': 64,
         'rms_norm_eps': 1e-6 if qwen else 1e-5, 'rope_theta': 1000000.0 if qwen else 1000.0, 'tie_word_embeddings': qwen,
         'max_position_embeddings': 64, 'vocab_size': tok.size(), 'hidden_act': 'silu', 'rope_scaling': None,
         'bos_token_id': None if qwen else 1, 'eos_token_id': tok.specials['<|endoftext|>'] if qwen else 2}
    if not qwen:
        c['head_dim'] = 16  # 4 heads × 16 = 64 ≠ hidden 32: head_dim is read from the config, as Hugging Face does
    if qwen:
        c['use_sliding_window'] = False
    D, H, KV = c['hidden_size'], c['num_attention_heads'], c['num_key_value_heads']
    hd = c.get('head_dim') or D // H
    w = Weights(23 if qwen else 17, 'F32' if qwen else 'BF16')
    w.add('model.embed_tokens.weight', (c['vocab_size'], D), 0.5)
    for i in range(c['num_hidden_layers']):
        p = f'model.layers.{i}.'
        w.add(p + 'input_layernorm.weight', (D,), 0.1, 1.0)
        w.add(p + 'self_attn.q_proj.weight', (H * hd, D), 0.35)
        w.add(p + 'self_attn.k_proj.weight', (KV * hd, D), 0.35)
        w.add(p + 'self_attn.v_proj.weight', (KV * hd, D), 0.3)
        if qwen:
            w.add(p + 'self_attn.q_proj.bias', (H * hd,), 0.3)
            w.add(p + 'self_attn.k_proj.bias', (KV * hd,), 0.3)
            w.add(p + 'self_attn.v_proj.bias', (KV * hd,), 0.3)
        w.add(p + 'self_attn.o_proj.weight', (D, H * hd), 0.2)
        w.add(p + 'post_attention_layernorm.weight', (D,), 0.1, 1.0)
        w.add(p + 'mlp.gate_proj.weight', (c['intermediate_size'], D), 0.3)
        w.add(p + 'mlp.up_proj.weight', (c['intermediate_size'], D), 0.3)
        w.add(p + 'mlp.down_proj.weight', (D, c['intermediate_size']), 0.2)
    w.add('model.norm.weight', (D,), 0.1, 1.0)
    if not qwen:
        w.add('lm_head.weight', (c['vocab_size'], D), 0.3)
    return c, w, llama_forward


def neox_model(tok):
    c = {'model_type': 'gpt_neox', 'architectures': ['GPTNeoXForCausalLM'], 'num_hidden_layers': 2, 'hidden_size': 64,
         'num_attention_heads': 2, 'intermediate_size': 128,
         # rotary_emb_base: Pythia's is 10000; a non-default base shows that it is read.
         'rotary_pct': 0.25, 'rotary_emb_base': 2000, 'layer_norm_eps': 1e-5,
         'use_parallel_residual': True, 'hidden_act': 'gelu', 'max_position_embeddings': 64, 'tie_word_embeddings': False,
         # Pythia pads vocab_size past the tokenizer's size (50304 vs 50277); so does this one.
         'vocab_size': tok.size() + 4, 'bos_token_id': tok.specials['<|endoftext|>'], 'eos_token_id': tok.specials['<|endoftext|>']}
    D, I = c['hidden_size'], c['intermediate_size']
    w = Weights(31, 'F16')
    w.add('gpt_neox.embed_in.weight', (c['vocab_size'], D), 0.5)
    for i in range(c['num_hidden_layers']):
        p = f'gpt_neox.layers.{i}.'
        for n in ('input_layernorm', 'post_attention_layernorm'):
            w.add(p + n + '.weight', (D,), 0.1, 1.0)
            w.add(p + n + '.bias', (D,), 0.1)
        w.add(p + 'attention.query_key_value.weight', (3 * D, D), 0.25)
        w.add(p + 'attention.query_key_value.bias', (3 * D,), 0.2)
        w.add(p + 'attention.dense.weight', (D, D), 0.15)
        w.add(p + 'attention.dense.bias', (D,), 0.1)
        w.add(p + 'mlp.dense_h_to_4h.weight', (I, D), 0.3)
        w.add(p + 'mlp.dense_h_to_4h.bias', (I,), 0.3)
        w.add(p + 'mlp.dense_4h_to_h.weight', (D, I), 0.15)
        w.add(p + 'mlp.dense_4h_to_h.bias', (D,), 0.1)
    w.add('gpt_neox.final_layer_norm.weight', (D,), 0.1, 1.0)
    w.add('gpt_neox.final_layer_norm.bias', (D,), 0.1)
    w.add('embed_out.weight', (c['vocab_size'], D), 0.3)
    return c, w, neox_forward


def rounded(a):
    return [float(f'{x:.9g}') for x in np.asarray(a).ravel()]


def write_family(name, tok, built, bos, shards=1):
    config, weights, forward = built
    folder = os.path.join(ROOT, name)
    os.makedirs(folder, exist_ok=True)
    for f in os.listdir(folder):
        os.remove(os.path.join(folder, f))
    with open(os.path.join(folder, 'config.json'), 'w') as f:
        json.dump(config, f, indent=2)
    with open(os.path.join(folder, 'tokenizer.json'), 'w', encoding='utf-8') as f:
        json.dump(tok.json(), f, ensure_ascii=False)
    names = sorted(weights.files)
    if shards == 1:
        write_safetensors(os.path.join(folder, 'model.safetensors'), weights.files)
    else:
        weight_map = {}
        for s in range(shards):
            file = f'model-{s + 1:05d}-of-{shards:05d}.safetensors'
            part = {n: weights.files[n] for n in names[s::shards]}
            write_safetensors(os.path.join(folder, file), part)
            weight_map.update({n: file for n in part})
        with open(os.path.join(folder, 'model.safetensors.index.json'), 'w') as f:
            json.dump({'metadata': {'total_size': sum(len(v[2]) for v in weights.files.values())}, 'weight_map': dict(sorted(weight_map.items()))}, f, indent=2)

    tokens = tok.encode(MODEL_TEXT)
    ids = ([config['bos_token_id']] if bos else []) + [t[0] for t in tokens]
    attention, logits = forward(config, weights.values, np.array(ids))
    golden = {
        'family': name, 'text': MODEL_TEXT, 'prependBos': bos, 'ids': ids,
        'tokens': [{'id': i, 'start': s, 'end': e} for i, s, e in tokens],
        'weights': [[rounded(w) for w in layer] for layer in attention],
        'logits': [rounded(row) for row in logits],
        'top5': [int(i) for i in np.argsort(-logits[-1], kind='stable')[:5]],
        'tokenizerCases': [{'text': t, 'tokens': [{'id': i, 'start': s, 'end': e} for i, s, e in tok.encode(t)]} for t in TOKENIZER_TEXTS],
    }
    with open(os.path.join(ROOT, f'{name}.golden.json'), 'w', encoding='utf-8') as f:
        json.dump(golden, f, ensure_ascii=False, separators=(',', ':'))
    sizes = {f: os.path.getsize(os.path.join(folder, f)) for f in sorted(os.listdir(folder))}
    print(name, f'{len(ids)} tokens', sizes)


def main():
    byte_level = ByteLevelTokenizer(48, ['<|endoftext|>'], GPT2_PATTERN)
    qwen_tok = ByteLevelTokenizer(48, ['<|endoftext|>', '<|im_start|>', '<|im_end|>'], QWEN2_PATTERN, qwen_style=True)
    sentencepiece = SentencePieceTokenizer(48)
    write_family('gpt2', byte_level, gpt2_model(byte_level), bos=False)
    write_family('llama', sentencepiece, llama_model(sentencepiece, 'llama'), bos=True)
    write_family('qwen2', qwen_tok, llama_model(qwen_tok, 'qwen2'), bos=False, shards=2)
    write_family('gpt_neox', byte_level, neox_model(byte_level), bos=False)


if __name__ == '__main__':
    main()
