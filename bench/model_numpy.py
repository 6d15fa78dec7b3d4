#!/usr/bin/env python3
"""The numpy side of bench/model.mjs.

    model_numpy.py write DIR          writes a GPT-2-small-shaped checkpoint (random weights, Hub layout, F32, ~500 MB)
    model_numpy.py run DIR IDS RUNS   times a float32 forward pass on the token ids in the JSON file IDS; prints one JSON line

The forward pass keeps what ours keeps (every head's scores and weights, the residual stream) and computes the
last position's logits, so both sides do the same work.
"""
import json
import math
import os
import resource
import struct
import sys
import time

import numpy as np

CONFIG = {'model_type': 'gpt2', 'architectures': ['GPT2LMHeadModel'], 'n_layer': 12, 'n_head': 12, 'n_embd': 768, 'n_positions': 1024,
          'n_ctx': 1024, 'vocab_size': 50257, 'layer_norm_epsilon': 1e-5, 'activation_function': 'gelu_new', 'bos_token_id': 50256}


def shapes():
    d, L = CONFIG['n_embd'], CONFIG['n_layer']
    out = {'wte.weight': (CONFIG['vocab_size'], d), 'wpe.weight': (CONFIG['n_positions'], d), 'ln_f.weight': (d,), 'ln_f.bias': (d,)}
    for i in range(L):
        p = f'h.{i}.'
        out.update({p + 'ln_1.weight': (d,), p + 'ln_1.bias': (d,), p + 'attn.c_attn.weight': (d, 3 * d), p + 'attn.c_attn.bias': (3 * d,),
                    p + 'attn.c_proj.weight': (d, d), p + 'attn.c_proj.bias': (d,), p + 'ln_2.weight': (d,), p + 'ln_2.bias': (d,),
                    p + 'mlp.c_fc.weight': (d, 4 * d), p + 'mlp.c_fc.bias': (4 * d,), p + 'mlp.c_proj.weight': (4 * d, d), p + 'mlp.c_proj.bias': (d,)})
    return out


def write(folder):
    """Streams tensors to disk one at a time, so writing never holds the whole checkpoint."""
    rng = np.random.default_rng(0)
    header, offset = {}, 0
    table = shapes()
    for name in sorted(table):
        size = 4 * math.prod(table[name])
        header[name] = {'dtype': 'F32', 'shape': list(table[name]), 'data_offsets': [offset, offset + size]}
        offset += size
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * (-len(text) % 8)
    with open(os.path.join(folder, 'model.safetensors'), 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text)
        for name in sorted(table):
            shape = table[name]
            if name.endswith(('ln_1.weight', 'ln_2.weight', 'ln_f.weight')):
                data = np.ones(shape, '<f4')
            else:
                data = (0.02 * rng.standard_normal(shape)).astype('<f4')
            f.write(data.tobytes())
    with open(os.path.join(folder, 'config.json'), 'w') as f:
        json.dump(CONFIG, f)


def layer_norm(x, w, b, eps=1e-5):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


def gelu_new(x):
    return np.float32(0.5) * x * (np.float32(1) + np.tanh(np.float32(math.sqrt(2 / math.pi)) * (x + np.float32(0.044715) * x ** 3)))


def load(folder):
    raw = np.memmap(os.path.join(folder, 'model.safetensors'), dtype=np.uint8, mode='r')
    n = struct.unpack('<Q', bytes(raw[:8]))[0]
    header = json.loads(bytes(raw[8:8 + n]))
    start = 8 + n
    # Copied into memory before timing: numpy's best case (ours reads the file by offset inside its timing).
    return {k: np.array(raw[start + v['data_offsets'][0]:start + v['data_offsets'][1]]).view('<f4').reshape(v['shape'])
            for k, v in header.items() if k != '__metadata__'}


def forward(W, ids):
    d, H = CONFIG['n_embd'], CONFIG['n_head']
    hd = d // H
    t = len(ids)
    h = W['wte.weight'][ids] + W['wpe.weight'][:t]
    mask = np.triu(np.ones((t, t), bool), 1)
    kept = []
    for i in range(CONFIG['n_layer']):
        p = f'h.{i}.'
        a = layer_norm(h, W[p + 'ln_1.weight'], W[p + 'ln_1.bias'])
        qkv = a @ W[p + 'attn.c_attn.weight'] + W[p + 'attn.c_attn.bias']
        q, k, v = (qkv[:, j * d:(j + 1) * d].reshape(t, H, hd).transpose(1, 0, 2) for j in range(3))
        scores = q @ k.transpose(0, 2, 1)
        scaled = scores * np.float32(1 / math.sqrt(hd))
        scaled[:, mask] = -np.inf
        e = np.exp(scaled - scaled.max(-1, keepdims=True))
        weights = e / e.sum(-1, keepdims=True)
        z = (weights @ v).transpose(1, 0, 2).reshape(t, d)
        kept.append((q, k, v, scores, scaled, weights, z))
        h = h + z @ W[p + 'attn.c_proj.weight'] + W[p + 'attn.c_proj.bias']
        m = layer_norm(h, W[p + 'ln_2.weight'], W[p + 'ln_2.bias'])
        h = h + gelu_new(m @ W[p + 'mlp.c_fc.weight'] + W[p + 'mlp.c_fc.bias']) @ W[p + 'mlp.c_proj.weight'] + W[p + 'mlp.c_proj.bias']
    x = layer_norm(h, W['ln_f.weight'], W['ln_f.bias'])
    return kept, W['wte.weight'] @ x[-1]


def run(folder, ids_file, runs):
    W = load(folder)
    with open(ids_file) as f:
        ids = np.array(json.load(f))
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        kept, logits = forward(W, ids)
        times.append((time.perf_counter() - t0) * 1000)
        del kept
    print(json.dumps({'tokens': len(ids), 'ms': times, 'top': int(np.argmax(logits)), 'peakMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == '__main__':
    if sys.argv[1] == 'write':
        write(sys.argv[2])
    else:
        run(sys.argv[2], sys.argv[3], int(sys.argv[4]))
