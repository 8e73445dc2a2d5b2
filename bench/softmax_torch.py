#!/usr/bin/env python3
"""PyTorch CPU float64 side of bench/softmax.bench.ts (one thread, or `threads`).

Run: OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python3 bench/softmax_torch.py [reps] [threads]
Prints one JSON object: {"torch": version, "threads": n, "rows": {"C,D,N": {row: {"median": ms, "min": ms, "cpu": ms}}}}.
CPU time is the calling thread's with one thread, the whole process's (all of torch's threads) otherwise.
Rows (same work as the JS side):
  fwd_bwd      loss = cross_entropy(X W^T + b, y) and its gradient by autograd
  kfac_factors A = X~^T X~ / N ((D+1)^2) and G = (1/N) sum_n diag(p_n) - p_n p_n^T  (C^2)
  kfac_solve   Cholesky of A + sqrt(lam) I and G + sqrt(lam) I, then (G+.)^{-1} dW~ (A+.)^{-1}
  cg20         20 conjugate-gradient iterations on (F + lam I) x = dW~ with exact Fisher-vector products
               F v = (1/N) X~^T [P * (U - rowsum(P * U))], U = X~ V^T, plus the final true-residual product
and gemm2000: A @ B.T for 2000x2000 float64 (GFLOP/s; OpenBLAS dgemm, the single-core AVX2-FMA peak).
"""
import json
import sys
import time

import torch

THREADS = int(sys.argv[2]) if len(sys.argv) > 2 else 1
torch.set_num_threads(THREADS)
torch.set_default_dtype(torch.float64)
REPS = int(sys.argv[1]) if len(sys.argv) > 1 else 15
cpu_time = time.thread_time if THREADS == 1 else time.process_time
LAM = 1e-3


def median_ms(fn, reps=REPS, warm=3):
    """Median and minimum wall time, and median thread CPU time (robust on a shared machine), in ms."""
    for _ in range(warm):
        fn()
    ts, cs = [], []
    for _ in range(reps):
        c0 = cpu_time()
        t0 = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t0) * 1e3)
        cs.append((cpu_time() - c0) * 1e3)
    ts.sort()
    cs.sort()
    return {"median": ts[len(ts) // 2], "min": ts[0], "cpu": cs[len(cs) // 2]}


def bench(C, D, N):
    g = torch.Generator().manual_seed(0)
    X = torch.randn(N, D, generator=g)
    y = torch.randint(0, C, (N,), generator=g)
    W = (0.01 * torch.randn(C, D, generator=g)).requires_grad_(True)
    b = torch.zeros(C, requires_grad=True)

    def fwd_bwd():
        W.grad = None
        b.grad = None
        loss = torch.nn.functional.cross_entropy(X @ W.T + b, y)
        loss.backward()
        return loss

    fwd_bwd()
    with torch.no_grad():
        P = torch.softmax(X @ W.T + b, dim=1)
        Xa = torch.cat([X, torch.ones(N, 1)], dim=1)
        dW = torch.cat([W.grad, b.grad[:, None]], dim=1)

    def factors():
        A = Xa.T @ Xa / N
        G = torch.diag(P.mean(0)) - P.T @ P / N
        return A, G

    with torch.no_grad():
        A, G = factors()
    sq = LAM ** 0.5
    eyeA, eyeG = torch.eye(D + 1), torch.eye(C)

    def solve():
        LA = torch.linalg.cholesky(A + sq * eyeA)
        LG = torch.linalg.cholesky(G + sq * eyeG)
        T = torch.cholesky_solve(dW.T.contiguous(), LA).T  # dW (A + sqrt(lam) I)^{-1}
        return torch.cholesky_solve(T, LG)

    def fisher_vector(v):
        U = Xa @ v.T  # N x C
        U = P * (U - (P * U).sum(1, keepdim=True))
        return U.T @ Xa / N

    def cg20():
        b = dW
        x = torch.zeros_like(b)
        r = b.clone()
        p = b.clone()
        rr = (r * r).sum()
        for _ in range(20):
            q = fisher_vector(p) + LAM * p
            alpha = rr / (p * q).sum()
            x += alpha * p
            r -= alpha * q
            rr_new = (r * r).sum()
            p = r + (rr_new / rr) * p
            rr = rr_new
        res = b - (fisher_vector(x) + LAM * x)
        return x, float(res.norm())

    t_fb = median_ms(fwd_bwd)
    with torch.no_grad():
        return {"fwd_bwd": t_fb, "kfac_factors": median_ms(factors), "kfac_solve": median_ms(solve),
                "cg20": median_ms(cg20, max(3, REPS // 2))}


def gemm2000(n=2000, reps=5):
    g = torch.Generator().manual_seed(1)
    A = torch.randn(n, n, generator=g)
    B = torch.randn(n, n, generator=g)
    t = median_ms(lambda: A @ B.T, reps)
    flop = 2.0 * n ** 3
    return {"ms": t["median"], "cpu_ms": t["cpu"], "gflops": flop / (t["median"] * 1e6), "gflops_cpu": flop / (t["cpu"] * 1e6)}


out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "dtype": "float64", "rows": {}}
for C, D, N in [(10, 784, 1024), (100, 512, 256)]:
    out["rows"]["%d,%d,%d" % (C, D, N)] = bench(C, D, N)
out["gemm2000"] = gemm2000(reps=5 if REPS > 5 else 2)
print(json.dumps(out))
