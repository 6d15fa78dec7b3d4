"""The independent float64 numpy forward passes that scripts/make-tiny-models.py turns into golden files (and
scripts/reference/interventions_reference.py, with interventions: ablated heads and cut edges, as in issue 16).

Written from the Hugging Face modeling code (modeling_gpt2, modeling_llama, modeling_qwen2, modeling_gpt_neox), not
from the TypeScript they check.
"""
import math

import numpy as np


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


def causal_softmax(q, k, cut=()):
    """q, k: T × d. Returns the weights, T × T, masked cells exactly 0; `cut` (query, key) scores are −∞ too."""
    t, d = q.shape
    s = q @ k.T / math.sqrt(d)
    s = np.where(np.tril(np.ones((t, t), bool)), s, -np.inf)
    for query, key in cut:
        s[query, key] = -np.inf
    e = np.exp(s - s.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def head_interventions(interventions, layer, head):
    """Whether head `head` of layer `layer` is ablated (its Z zeroed before the output projection), and its cut edges."""
    mine = [x for x in interventions if x['layer'] == layer and x['head'] == head]
    return any(x['kind'] == 'ablate-head' for x in mine), [(x['query'], x['key']) for x in mine if x['kind'] == 'cut-edge']


def attend(q, k, v, interventions, layer, head):
    """One head's weights and Z, with the interventions on it."""
    ablated, cut = head_interventions(interventions, layer, head)
    w = causal_softmax(q, k, cut)
    z = w @ v
    return w, np.zeros_like(z) if ablated else z


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


def gpt2_forward(c, W, ids, interventions=()):
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
            w, z = attend(q[:, sl], k[:, sl], v[:, sl], interventions, i, j)
            heads.append(w)
            zs.append(z)
        weights.append(heads)
        h = h + np.concatenate(zs, -1) @ W[p + 'attn.c_proj.weight'] + W[p + 'attn.c_proj.bias']
        m = layer_norm(h, W[p + 'ln_2.weight'], W[p + 'ln_2.bias'], c['layer_norm_epsilon'])
        h = h + gelu_tanh(m @ W[p + 'mlp.c_fc.weight'] + W[p + 'mlp.c_fc.bias']) @ W[p + 'mlp.c_proj.weight'] + W[p + 'mlp.c_proj.bias']
    x = layer_norm(h, W['ln_f.weight'], W['ln_f.bias'], c['layer_norm_epsilon'])
    return weights, x @ W['wte.weight'].T


def llama_forward(c, W, ids, interventions=()):
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
            w, z = attend(rope(q[:, j * hd:(j + 1) * hd], hd, theta), ks[g], vs[g], interventions, i, j)
            heads.append(w)
            zs.append(z)
        weights.append(heads)
        h = h + proj('self_attn.o_proj', np.concatenate(zs, -1))
        m = rms_norm(h, W[p + 'post_attention_layernorm.weight'], eps)
        h = h + proj('mlp.down_proj', silu(proj('mlp.gate_proj', m)) * proj('mlp.up_proj', m))
    x = rms_norm(h, W['model.norm.weight'], eps)
    head = W['model.embed_tokens.weight'] if c['tie_word_embeddings'] else W['lm_head.weight']
    return weights, x @ head.T


def neox_forward(c, W, ids, interventions=()):
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
            w, z = attend(q, k, qkv[:, j, 2 * hd:], interventions, i, j)
            heads.append(w)
            zs.append(z)
        weights.append(heads)
        attn = lin('attention.dense', np.concatenate(zs, -1))
        m = layer_norm(h, W[p + 'post_attention_layernorm.weight'], W[p + 'post_attention_layernorm.bias'], eps)
        h = h + attn + lin('mlp.dense_4h_to_h', gelu_erf(lin('mlp.dense_h_to_4h', m)))
    x = layer_norm(h, W['gpt_neox.final_layer_norm.weight'], W['gpt_neox.final_layer_norm.bias'], eps)
    return weights, x @ W['embed_out.weight'].T
