"""Independent float64 reference for the fused Q/K/V projection cases (see fused-golden.mjs).

Written from the definitions, head by head (no fused product): Q = X·W_Q, K = X_kv·W_K, V = X_kv·W_V,
weights = softmax(Q·Kᵀ / √d_k) over the keys the mask lets through, Z = weights·V, output = [Z_1 … Z_h]·W_O.
Usage: python3 fused_qkv_reference.py inputs.json golden.json
"""
import json
import sys

import numpy as np


def visible(mask, i, m):
    if mask["kind"] == "none":
        return np.arange(m)
    if mask["kind"] == "causal":
        return np.arange(min(i + 1, m))
    raise ValueError(mask["kind"])


def run(case):
    x = np.array(case["x"], dtype=np.float64)
    kx = np.array(case["keyX"], dtype=np.float64)
    zs, weights = [], []
    for h in case["heads"]:
        q, k, v = x @ np.array(h["wq"]), kx @ np.array(h["wk"]), kx @ np.array(h["wv"])
        w = np.zeros((q.shape[0], k.shape[0]))
        for i in range(q.shape[0]):
            keys = visible(case["mask"], i, k.shape[0])
            s = (k[keys] @ q[i]) / np.sqrt(q.shape[1])
            e = np.exp(s - s.max())
            w[i, keys] = e / e.sum()
        weights.append(w)
        zs.append(w @ v)
    output = np.concatenate(zs, axis=1) @ np.array(case["wo"])
    rows = case["rows"]
    return {
        "name": case["name"],
        "rows": rows,
        "weights": [[w[i].tolist() for i in rows] for w in weights],
        "output": [output[i].tolist() for i in rows],
    }


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        cases = json.load(f)
    golden = {"generatedBy": "scripts/reference/fused-golden.mjs (numpy %s, float64)" % np.__version__, "cases": [run(c) for c in cases]}
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(golden, f)
        f.write("\n")


if __name__ == "__main__":
    main()
