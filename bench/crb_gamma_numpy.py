"""Peer for bench/crb.bench.ts: the Cramér–Rao Monte Carlo of gamma(alpha, rate beta) in numpy,
vectorised over trials on sufficient statistics (mean x, mean log x): draw a (trials, n) block,
reduce it, then Newton on log(alpha) - digamma(alpha) = log(mean x) - mean(log x) for all trials
at once, beta = alpha / mean x. Run with Debian /usr/bin/python3 (numpy, scipy).
Usage: crb_gamma_numpy.py ALPHA BETA N TRIALS REPEATS -> JSON {trials_per_s: [...], ...}."""
import json
import sys
import time

import numpy as np
from scipy.special import digamma, polygamma


def experiment(alpha, beta, n, trials, seed):
    rng = np.random.default_rng(seed)
    chunk = max(1, min(trials, 4_000_000 // n))
    est = []
    for start in range(0, trials, chunk):
        t = min(chunk, trials - start)
        x = rng.gamma(alpha, 1.0 / beta, size=(t, n))
        m = x.mean(axis=1)
        s = np.log(m) - np.log(x).mean(axis=1)
        a = np.full(t, alpha)
        for _ in range(50):
            f = np.log(a) - digamma(a) - s
            step = f / (1.0 / a - polygamma(1, a))
            a = np.maximum(a - step, a / 10)
            if np.max(np.abs(step / a)) < 1e-13:
                break
        est.append(np.stack([a, a / m], axis=1))
    return np.concatenate(est)


def main():
    alpha, beta, n, trials, repeats = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    experiment(alpha, beta, n, min(trials, 200), 0)  # warm-up
    rates, cpu = [], []
    for r in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        est = experiment(alpha, beta, n, trials, r + 1)
        rates.append(trials / (time.perf_counter() - t0))
        cpu.append((time.process_time() - c0) / trials * 1e6)
    var = est.var(axis=0, ddof=1)
    print(json.dumps({"trials_per_s": rates, "cpu_us_per_trial": cpu, "numpy": np.__version__, "var_alpha_hat": float(var[0])}))


main()
