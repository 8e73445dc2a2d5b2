"""Peer for bench/design.bench.ts: Fisher information of the sinusoid model over a design of N points,
I = sum_k J_k^T g(psi_k) J_k, vectorised with numpy (J and g built per point, contracted with einsum).
Prints JSON: median seconds per evaluation over repeats. Run with Debian's /usr/bin/python3."""
import json
import sys
import time

import numpy as np


def fisher(theta, n, s=1.0):
    A, f0, phi = theta
    a = 2 * np.pi * f0 * n + phi
    N = n.shape[0]
    J = np.zeros((N, 2, 3))
    J[:, 0, 0] = np.cos(a)
    J[:, 0, 1] = -A * 2 * np.pi * n * np.sin(a)
    J[:, 0, 2] = -A * np.sin(a)
    g = np.zeros((N, 2, 2))
    g[:, 0, 0] = 1 / s**2
    g[:, 1, 1] = 2 / s**2
    return np.einsum('nai,nab,nbj->ij', J, g, J, optimize=True)


def main():
    N = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    n = np.arange(N, dtype=float)
    theta = (1.3, 0.12, 0.4)
    I = fisher(theta, n)
    times = []
    for _ in range(7):
        reps = 0
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < 0.3:
            fisher(theta, n)
            reps += 1
        times.append((time.perf_counter() - t0) / reps)
    times.sort()
    print(json.dumps({"numpy": np.__version__, "N": N, "median_s": times[len(times) // 2], "fisher": I.tolist()}))


if __name__ == "__main__":
    main()
