#!/usr/bin/env python3
"""All-pairs top-k on one float32 .npy: twinmatch against faiss-cpu and NumPy, each at its best.

For every row, its k nearest other rows by inner product (self excluded). Runs each tool in its own
process, a few times, and prints median seconds, ratios and peak RSS, plus neighbour agreement with
faiss (counted up to ties at the k-th score).

  - faiss-cpu IndexFlatIP: add X, search X for k+1, drop self. Timed: the search alone.
  - NumPy: blocked X[b] @ X.T, self masked, argpartition + sort. Timed: the loop alone.
  - twinmatch batch --vectors X.npy: the whole process (start, load, search, CSV write, manifest).

faiss and NumPy run on OpenBLAS kernels reported by threadpoolctl; when a peer's OpenBLAS runs a
generic core on a CPU with AVX-512, it is re-run with OPENBLAS_CORETYPE=SkylakeX in its own
environment so that no peer is handicapped.

Usage: python3 Benchmarks/peers.py X.npy [--k 10] [--repeats 3] [--twinmatch .build/release/twinmatch]
       [--baseline OTHER_TWINMATCH]   (a second build, timed alternately with the first; its output must be identical)
"""
import argparse, json, os, resource, statistics, subprocess, sys, tempfile, time

GENERIC = {"prescott", "core2", "penryn", "dunnington", "nehalem", "atom", "sandybridge", "generic", "barcelona", "bulldozer"}
# Kernel families that use AVX-512 for sgemm; others (Haswell, Zen…) may be beaten by SkylakeX on an AVX-512 CPU.
AVX512 = {"skylakex", "cooperlake", "sapphirerapids"}

CHILD = r'''
import json, sys, time, resource, os
import numpy as np
tool, path, k, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
from threadpoolctl import threadpool_info
x = np.load(path, mmap_mode="r")
x = np.ascontiguousarray(x, dtype=np.float32)
n = x.shape[0]
if tool == "faiss":
    import faiss
    t0 = time.perf_counter()
    index = faiss.IndexFlatIP(x.shape[1]); index.add(x)
    t1 = time.perf_counter()
    D, I = index.search(x, k + 1)
    t2 = time.perf_counter()
    # Drop self; where self is not among the k+1 (ties), drop the last.
    keep = I != np.arange(n)[:, None]
    drop_last = keep.all(axis=1)
    keep[drop_last, -1] = False
    I = I[keep].reshape(n, k); D = D[keep].reshape(n, k)
    seconds = t2 - t1
else:
    t1 = time.perf_counter()
    I = np.empty((n, k), dtype=np.int64); D = np.empty((n, k), dtype=np.float32)
    b = 512
    for s in range(0, n, b):
        e = min(n, s + b)
        S = x[s:e] @ x.T
        S[np.arange(e - s), np.arange(s, e)] = -np.inf
        part = np.argpartition(-S, k - 1, axis=1)[:, :k]
        ps = np.take_along_axis(S, part, axis=1)
        order = np.argsort(-ps, axis=1, kind="stable")
        I[s:e] = np.take_along_axis(part, order, axis=1); D[s:e] = np.take_along_axis(ps, order, axis=1)
    seconds = time.perf_counter() - t1
np.save(out + ".I.npy", I.astype(np.int64)); np.save(out + ".D.npy", D.astype(np.float32))
blas = [{k2: v for k2, v in p.items() if k2 in ("internal_api", "version", "architecture", "num_threads", "filepath")} for p in threadpool_info()]
print(json.dumps({"seconds": seconds, "blas": blas, "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
'''

def kernels():
    """The OpenBLAS builds and cores numpy and faiss load, per threadpoolctl."""
    code = "import json, numpy, faiss; from threadpoolctl import threadpool_info; print(json.dumps(threadpool_info()))"
    return json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)

def run_child(tool, path, k, out, env):
    r = subprocess.run([sys.executable, "-c", CHILD, tool, path, str(k), out], capture_output=True, text=True, env=env)
    if r.returncode != 0:
        sys.exit(f"{tool} failed:\n{r.stderr}")
    return json.loads(r.stdout.strip().splitlines()[-1])

def run_twinmatch(binary, path, k, out, extra):
    cmd = [binary, "batch", "--vectors", path, "--k", str(k), "--out", out] + extra
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    seconds = time.perf_counter() - t0
    err = p.stderr.read().decode()
    if status != 0:
        sys.exit(f"twinmatch failed: {err}")
    return {"seconds": seconds, "rss_mib": usage.ru_maxrss / 1024}

def load_csv(out, n, k):
    import numpy as np
    data = np.loadtxt(out, delimiter=",", skiprows=1, dtype=np.float64)
    I = np.full((n, k), -1, dtype=np.int64); D = np.full((n, k), -np.inf, dtype=np.float32)
    q = data[:, 0].astype(np.int64); r = data[:, 1].astype(np.int64) - 1
    I[q, r] = data[:, 2].astype(np.int64); D[q, r] = data[:, 3]
    return I, D

def agreement(I_ref, D_ref, I, D, tol=2e-5):
    """Share of reference neighbours found, a miss counting as agreement when it ties the k-th score."""
    import numpy as np
    n, k = I_ref.shape
    found = 0
    for q in range(n):
        mine = set(I[q].tolist())
        kth = min(D[q][-1], D_ref[q][-1])
        for j in range(k):
            if I_ref[q, j] in mine or D_ref[q, j] <= kth + tol:
                found += 1
    return found / (n * k)

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("npy"); ap.add_argument("--k", type=int, default=10); ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--twinmatch", default=os.path.join(os.path.dirname(__file__), "..", ".build", "release", "twinmatch"))
    ap.add_argument("--skip-numpy", action="store_true"); ap.add_argument("--twinmatch-args", default="")
    ap.add_argument("--baseline", help="another twinmatch binary, timed alternately with --twinmatch")
    a = ap.parse_args()
    import numpy as np
    x = np.load(a.npy, mmap_mode="r"); n, d = x.shape
    print(f"CPU: {open('/proc/cpuinfo').read().split('model name')[1].split(':')[1].splitlines()[0].strip()}, {os.cpu_count()} cores")
    print(f"data: {a.npy} {n} × {d} float32, k = {a.k}, median of {a.repeats}")
    info = kernels()
    for p in info:
        print(f"  peer BLAS: {p.get('internal_api')} {p.get('version')} core {p.get('architecture')} threads {p.get('num_threads')} ({os.path.basename(p.get('filepath', ''))})")
    avx512 = "avx512f" in open("/proc/cpuinfo").read()
    cores = [str(p.get("architecture", "")).lower() for p in info if p.get("internal_api") == "openblas"]
    envs = [("default", dict(os.environ))]
    if avx512 and any(c not in AVX512 for c in cores):
        # Some peer OpenBLAS runs generic or AVX2 kernels: also try SkylakeX and keep each peer's faster setting.
        envs.append(("OPENBLAS_CORETYPE=SkylakeX", dict(os.environ, OPENBLAS_CORETYPE="SkylakeX")))
        print(f"  a peer OpenBLAS runs {', '.join(c for c in cores if c not in AVX512)} kernels on an AVX-512 CPU: "
              "each peer also runs with OPENBLAS_CORETYPE=SkylakeX and the faster setting is kept")
    tmp = tempfile.mkdtemp(prefix="peers-")
    results = {}
    tools = ["faiss"] + ([] if a.skip_numpy else ["numpy"])
    for tool in tools:
        for label, env in envs:
            runs = [run_child(tool, a.npy, a.k, os.path.join(tmp, tool), env) for _ in range(a.repeats)]
            med = statistics.median(r["seconds"] for r in runs)
            print(f"  {tool} [{label}]: median {med:.2f} s of {[round(r['seconds'], 2) for r in runs]}; kernels "
                  + ", ".join(f"{b.get('internal_api')} {b.get('version')} {b.get('architecture')}" for b in runs[0]["blas"] if b.get("internal_api") == "openblas"))
            if tool not in results or med < results[tool]["seconds"]:
                results[tool] = {"seconds": med, "rss_mib": max(r["rss_mib"] for r in runs), "env": label}
    out = os.path.join(tmp, "twinmatch.csv")
    extra = a.twinmatch_args.split()
    runs, base = [], []
    out_base = os.path.join(tmp, "baseline.csv")
    for _ in range(a.repeats):
        runs.append(run_twinmatch(a.twinmatch, a.npy, a.k, out, extra))
        if a.baseline: base.append(run_twinmatch(a.baseline, a.npy, a.k, out_base, extra))
    print(f"  twinmatch: {[round(r['seconds'], 2) for r in runs]} s")
    results["twinmatch"] = {"seconds": statistics.median(r["seconds"] for r in runs), "rss_mib": max(r["rss_mib"] for r in runs)}
    if a.baseline:
        same = open(out, "rb").read() == open(out_base, "rb").read()
        print(f"  baseline {a.baseline}: {[round(r['seconds'], 2) for r in base]} s; output {'identical' if same else 'DIFFERENT'}")
        results["baseline"] = {"seconds": statistics.median(r["seconds"] for r in base), "rss_mib": max(r["rss_mib"] for r in base)}
    manifest = json.load(open(out + ".manifest.json"))

    I_f = np.load(os.path.join(tmp, "faiss.I.npy")); D_f = np.load(os.path.join(tmp, "faiss.D.npy"))
    I_t, D_t = load_csv(out, n, a.k)
    agree = {"twinmatch": agreement(I_f, D_f, I_t, D_t)}
    if "numpy" in results:
        agree["numpy"] = agreement(I_f, D_f, np.load(os.path.join(tmp, "numpy.I.npy")), np.load(os.path.join(tmp, "numpy.D.npy")))
    t = results["twinmatch"]["seconds"]
    print()
    print(f"{'tool':<34} {'seconds':>8} {'÷ twinmatch':>12} {'peak RSS MiB':>13} {'agreement':>10}  setting")
    rows = [("twinmatch batch (whole process)", "twinmatch"), ("baseline twinmatch (whole process)", "baseline"),
            ("faiss IndexFlatIP (search only)", "faiss"), ("numpy blocked matmul (loop only)", "numpy")]
    for label, key in rows:
        if key not in results: continue
        r = results[key]
        ag = "reference" if key == "faiss" else "as above" if key == "baseline" else f"{100 * agree[key]:.3f}%"
        print(f"{label:<34} {r['seconds']:8.2f} {r['seconds'] / t:12.2f} {r['rss_mib']:13.0f} {ag:>10}  {r.get('env', '')}")
    print(f"\ntwinmatch timings (last run): {manifest['timings']}; BLAS: {manifest['blas']}")

if __name__ == "__main__":
    main()
