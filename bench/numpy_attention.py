"""numpy float32 side of bench/compute.mjs: the same attention computations, timed one run at a time on request.

Protocol (one JSON object per line on stdin, one JSON line back on stdout):
  {"cmd": "info"}                                   -> versions, BLAS, threads
  {"cmd": "run", "case": {...}}                     -> {"ms": wall time of one run, "cpuMs": CPU time of all threads}
  {"cmd": "check", "case": {...}, "out": "prefix"}  -> writes prefix.weights.f32 and prefix.output.f32
A case names raw little-endian float32 files written by compute.mjs (row-major) and their shapes.
The caller unsets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for this process, so OpenBLAS picks its own kernel.
"""
import json
import os
import sys
import time

import numpy as np

_cache = {}


def load(path, shape):
    key = (path, tuple(shape))
    if key not in _cache:
        _cache[key] = np.fromfile(path, dtype=np.float32).reshape(shape)
    return _cache[key]


def softmax_rows(scaled):
    """Numerically stable row softmax, in place on a copy: subtract the row max, exp, divide by the row sum."""
    w = scaled - scaled.max(axis=-1, keepdims=True)
    np.exp(w, out=w)
    w /= w.sum(axis=-1, keepdims=True)
    return w


def single_head(c):
    n, m, d = c["n"], c["m"], c["d"]
    q = load(c["q"], (n, d))
    k = load(c["k"], (m, d))
    v = load(c["v"], (m, c["dv"]))
    factor = np.float32(c["factor"])
    scores = q @ k.T
    scaled = scores * factor
    weights = softmax_rows(scaled)
    output = weights @ v
    # Every intermediate is kept, as the extension keeps them for its views.
    return {"scores": scores, "scaled": scaled, "weights": weights, "output": output}


def multi_head(c):
    n, dm, h, dk = c["n"], c["dModel"], c["heads"], c["dK"]
    x = load(c["x"], (n, dm))
    wq = load(c["wq"], (h, dm, dk))
    wk = load(c["wk"], (h, dm, dk))
    wv = load(c["wv"], (h, dm, dk))
    wo = load(c["wo"], (h * dk, dm))
    factor = np.float32(c["factor"])
    # Idiomatic fast numpy: one GEMM for all of Q, K, V (768 x 2304), batched per-head products.
    # (Concatenating the weights is preparation, done once and not timed after the first run.)
    key = ("wqkv", c["wq"], c["wk"], c["wv"])
    if key not in _cache:
        _cache[key] = np.concatenate([w.transpose(1, 0, 2).reshape(dm, h * dk) for w in (wq, wk, wv)], axis=1)
    qkv = x @ _cache[key]
    q = qkv[:, : h * dk].reshape(n, h, dk).transpose(1, 0, 2)
    k = qkv[:, h * dk: 2 * h * dk].reshape(n, h, dk).transpose(1, 0, 2)
    v = qkv[:, 2 * h * dk:].reshape(n, h, dk).transpose(1, 0, 2)
    scores = q @ k.transpose(0, 2, 1)
    scaled = scores * factor
    weights = softmax_rows(scaled)
    z = weights @ v
    concat = z.transpose(1, 0, 2).reshape(n, h * dk)
    output = concat @ wo
    return {"scores": scores, "scaled": scaled, "weights": weights, "output": output}


def run(c):
    return single_head(c) if c["kind"] == "single" else multi_head(c)


def blas_info():
    try:
        import threadpoolctl  # noqa: F401  (not installed on every machine)

        info = threadpoolctl.threadpool_info()
        return "; ".join(f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')} x{i.get('num_threads')}" for i in info)
    except ImportError:
        pass
    # Without threadpoolctl: ask the OpenBLAS numpy loaded (found in this process's memory map) directly.
    try:
        import ctypes

        with open("/proc/self/maps") as maps:
            paths = sorted({line.split()[-1] for line in maps if "openblas" in line.lower() and line.split()[-1].startswith("/")})
        for path in paths:
            lib = ctypes.CDLL(path)
            for prefix, suffix in (("scipy_openblas_", "64_"), ("openblas_", "64_"), ("openblas_", "")):
                core = getattr(lib, f"{prefix}get_corename{suffix}", None)
                threads = getattr(lib, f"{prefix}get_num_threads{suffix}", None)
                config = getattr(lib, f"{prefix}get_config{suffix}", None)
                if core and threads and config:
                    core.restype = ctypes.c_char_p
                    config.restype = ctypes.c_char_p
                    threads.restype = ctypes.c_int
                    return f"{config().decode()}; kernel {core().decode()}, {threads()} threads (via ctypes; threadpoolctl not importable)"
    except Exception:  # noqa: BLE001
        pass
    return "unknown (threadpoolctl not importable)"


def main():
    for line in sys.stdin:
        msg = json.loads(line)
        cmd = msg["cmd"]
        if cmd == "info":
            reply = {
                "numpy": np.__version__,
                "python": sys.version.split()[0],
                "blas": blas_info(),
                "env": {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")},
            }
        elif cmd == "run":
            t0 = time.perf_counter()
            c0 = time.process_time()
            result = run(msg["case"])
            ms = (time.perf_counter() - t0) * 1e3
            cpu_ms = (time.process_time() - c0) * 1e3  # every thread's CPU time (BLAS threads that spin count too)
            del result
            reply = {"ms": ms, "cpuMs": cpu_ms}
        elif cmd == "check":
            result = run(msg["case"])
            np.ascontiguousarray(result["weights"], dtype=np.float32).tofile(msg["out"] + ".weights.f32")
            np.ascontiguousarray(result["output"], dtype=np.float32).tofile(msg["out"] + ".output.f32")
            reply = {"ok": True}
        else:
            reply = {"error": f"unknown command {cmd}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
