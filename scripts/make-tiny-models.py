#!/usr/bin/env python3
"""Tiny random checkpoints in each family's exact Hugging Face layout, their tokenizer.json files, and goldens.

Writes test/fixtures/models/<family>/ (config.json, safetensors weights, tokenizer.json) and
test/fixtures/models/<family>.golden.json: every layer/head's attention weights and the logits of every position,
computed here by an independent float64 numpy forward pass, plus tokenizer ids and UTF-16 character ranges.
Needs python3, numpy and regex only; the tests read the committed outputs, so no Python runs at test time.

    python3 scripts/make-tiny-models.py
"""
import json
import os
import struct

import numpy as np

from tiny_reference import gpt2_forward, llama_forward, neox_forward
from tiny_tokenizers import GPT2_PATTERN, QWEN2_PATTERN, ByteLevelTokenizer, SentencePieceTokenizer

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'models')
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
