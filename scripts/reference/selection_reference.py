"""Independent float64 reference for full selection runs (see selection-golden.mjs).

Written from the definitions, not from the TypeScript: sinusoidal positions (Vaswani et al. 2017),
the mask rules as stated in the README, a max-subtracted softmax, and a post-norm encoder layer
(add & LayerNorm with eps 1e-5, ReLU feed-forward, add & LayerNorm).
Usage: python3 selection_reference.py inputs.json golden.json
"""
import json
import sys

import numpy as np

def positional(position, width):
    """PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(pos / 10000^(2i/d))."""
    out = np.zeros(width)
    for i in range(0, width, 2):
        angle = position / (10000.0 ** (i / width))
        out[i] = np.sin(angle)
        if i + 1 < width:
            out[i + 1] = np.cos(angle)
    return out


def visible_keys(mask, i, m):
    """The keys query i may see, listed from the mask's definition."""
    kind = mask["kind"]
    if kind == "none":
        return set(range(m))
    if kind == "causal":
        return set(range(min(i + 1, m)))
    if kind == "window":  # the last `window` keys up to and including i
        return {j for j in range(i - mask["window"] + 1, i + 1) if 0 <= j < m}
    if kind == "dilated":  # i, i - r, i - 2r, ... (`window` keys)
        return {i - k * mask["dilation"] for k in range(mask["window"]) if 0 <= i - k * mask["dilation"] < m}
    raise ValueError(kind)


def head(x, h, mask, scale, temperature, cut=(), ablated=False):
    """Weights and Z of one head; `cut` (query, key) edges are left out of their row's softmax, an ablated head's Z is 0."""
    q, k, v = x @ np.array(h["wq"]), x @ np.array(h["wk"]), x @ np.array(h["wv"])
    factor = (1 / np.sqrt(q.shape[1]) if scale else 1.0) / temperature
    n, m = q.shape[0], k.shape[0]
    weights = np.zeros((n, m))
    for i in range(n):
        keys = sorted(visible_keys(mask, i, m) - {key for query, key in cut if query == i})
        if not keys:
            continue
        s = np.array([q[i] @ k[j] for j in keys]) * factor
        e = np.exp(s - s.max())
        weights[i, keys] = e / e.sum()
    return weights, np.zeros((n, v.shape[1])) if ablated else weights @ v


def layer_norm(a, eps=1e-5):
    mean = a.mean(axis=1, keepdims=True)
    var = ((a - mean) ** 2).mean(axis=1, keepdims=True)
    return (a - mean) / np.sqrt(var + eps)


def run(case):
    x = np.array(case["tokenEmbeddings"], dtype=np.float64)
    if case["positional"]:
        x = x + np.array([positional(p, x.shape[1]) for p in range(x.shape[0])])
    layers = []
    interventions = case.get("interventions", [])
    for l, layer in enumerate(case["layers"]):
        def on(j, kind):
            return [i for i in interventions if i["layer"] == l and i["head"] == j and i["kind"] == kind]
        heads = [head(x, h, case["mask"], case["scale"], case["temperature"], [(i["query"], i["key"]) for i in on(j, "cut-edge")], bool(on(j, "ablate-head")))
                 for j, h in enumerate(layer["heads"])]
        attention = np.concatenate([z for _, z in heads], axis=1) @ np.array(layer["wo"])
        ffn = layer["ffn"]
        norm1 = layer_norm(x + attention)
        hidden = np.maximum(0, norm1 @ np.array(ffn["w1"]) + np.array(ffn["b1"]))
        out = layer_norm(norm1 + hidden @ np.array(ffn["w2"]) + np.array(ffn["b2"]))
        layers.append({"lastTokenWeights": [w[-1].tolist() for w, _ in heads], "output": out.tolist()})
        x = out
    return {"name": case["name"], "tokens": case["tokens"], "layers": layers}


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        inputs = json.load(f)
    width = inputs["peWidth"]
    golden = {
        "generatedBy": "scripts/reference/selection-golden.mjs (numpy %s, float64)" % np.__version__,
        "positional": {"width": width, "positions": {str(p): positional(p, width).tolist() for p in inputs["pePositions"]}},
        "cases": [run(c) for c in inputs["cases"]],
    }
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
