#!/usr/bin/env python3
"""Goldens for "what if" runs of the tiny checkpoints: one head ablated in layer 0 and one edge cut in layer 1.

Reads each family's committed checkpoint (config.json, safetensors) and ids from test/fixtures/models/, runs the
independent float64 numpy forward pass of scripts/tiny_reference.py with the interventions, and writes
test/fixtures/interventions/<family>.golden.json: every layer/head's weights, the last position's logits, the
top-5 next tokens and the attention rollout over all layers. Needs python3 and numpy; the tests read the committed outputs.

    python3 scripts/reference/interventions_reference.py
"""
import json
import os
import struct
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..'))
from tiny_reference import gpt2_forward, llama_forward, neox_forward  # noqa: E402

ROOT = os.path.join(HERE, '..', '..')
MODELS = os.path.join(ROOT, 'test', 'fixtures', 'models')
OUT = os.path.join(ROOT, 'test', 'fixtures', 'interventions')
FORWARD = {'gpt2': gpt2_forward, 'llama': llama_forward, 'qwen2': llama_forward, 'gpt_neox': neox_forward}


def read_safetensors(path):
    """name → float64 array, from the file's own header (F32, F16 or BF16, little-endian)."""
    with open(path, 'rb') as f:
        raw = f.read()
    (length,) = struct.unpack('<Q', raw[:8])
    header = json.loads(raw[8:8 + length])
    body = raw[8 + length:]
    out = {}
    for name, info in header.items():
        if name == '__metadata__':
            continue
        begin, end = info['data_offsets']
        data = body[begin:end]
        if info['dtype'] == 'BF16':
            values = (np.frombuffer(data, '<u2').astype(np.uint32) << 16).view(np.float32)
        else:
            values = np.frombuffer(data, {'F32': '<f4', 'F16': '<f2'}[info['dtype']])
        out[name] = values.astype(np.float64).reshape(info['shape'])
    return out


def read_weights(folder):
    files = sorted(f for f in os.listdir(folder) if f.endswith('.safetensors'))
    weights = {}
    for f in files:
        weights.update(read_safetensors(os.path.join(folder, f)))
    return weights


def rollout(attention):
    """Abnar & Zuidema's compute_joint_attention (github.com/samiraabnar/attention_flow): per layer the mean over heads
    plus I, rows renormalised, multiplied onto the layers below. Returns the last layer's joint attention."""
    joint = None
    for heads in attention:
        a = np.mean(heads, axis=0) + np.eye(heads[0].shape[0])
        a = a / a.sum(axis=-1, keepdims=True)
        joint = a if joint is None else a @ joint
    return joint


def rounded(a):
    return [float(f'{x:.9g}') for x in np.asarray(a).ravel()]


def write_family(family):
    folder = os.path.join(MODELS, family)
    with open(os.path.join(folder, 'config.json')) as f:
        config = json.load(f)
    with open(os.path.join(MODELS, f'{family}.golden.json')) as f:
        original = json.load(f)
    ids = np.array(original['ids'])
    weights = read_weights(folder)
    forward = FORWARD[family]
    # The weights as read here must give the committed goldens without interventions.
    plain, _ = forward(config, weights, ids)
    worst = max(np.abs(np.ravel(w) - g).max() for layer, glayer in zip(plain, original['weights']) for w, g in zip(layer, glayer))
    assert worst < 1e-8, f'{family}: the checkpoint as read differs from its golden by {worst}'
    ablate = {'kind': 'ablate-head', 'layer': 0, 'head': 1}
    # Cut the strongest edge of the last query in L1H0 (after the ablation), so the cut visibly moves the logits.
    ablated_only, _ = forward(config, weights, ids, [ablate])
    last = len(ids) - 1
    cut = {'kind': 'cut-edge', 'layer': 1, 'head': 0, 'query': last, 'key': int(np.argmax(ablated_only[1][0][last]))}
    interventions = [ablate, cut]
    attention, logits = forward(config, weights, ids, interventions)
    golden = {
        'family': family, 'ids': [int(i) for i in ids], 'interventions': interventions,
        'weights': [[rounded(w) for w in layer] for layer in attention],
        'logits': rounded(logits[-1]),
        'top5': [int(i) for i in np.argsort(-logits[-1], kind='stable')[:5]],
        'rollout': rounded(rollout(attention)),
    }
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, f'{family}.golden.json'), 'w') as f:
        json.dump(golden, f, separators=(',', ':'))
    print(family, f'{len(ids)} tokens', 'cut', cut, 'top5', golden['top5'])


if __name__ == '__main__':
    for name in FORWARD:
        write_family(name)
