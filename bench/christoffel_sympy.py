"""Peer for bench/christoffel.bench.ts: Christoffel symbols Gamma^k_ij of the bivariate normal family
(mu1, mu2, s11, s12, s22), derived independently with sympy (Fisher metric of N(mu, S): S^-1 for the
mean block, 1/2 tr(S^-1 dS S^-1 dS) for the covariance block; Gamma = g^-1 Gamma_first), lambdified
with numpy, timed per evaluation. Prints JSON with the median microseconds and the values at one point.
Run with Debian's /usr/bin/python3."""
import json
import sys
import time

import sympy as sp


def main():
    m1, m2, a, b, c = sp.symbols('mu1 mu2 s11 s12 s22', real=True)
    th = [m1, m2, a, b, c]
    S = sp.Matrix([[a, b], [b, c]])
    Si = S.inv()
    dS = [sp.zeros(2, 2), sp.zeros(2, 2), sp.Matrix([[1, 0], [0, 0]]), sp.Matrix([[0, 1], [1, 0]]), sp.Matrix([[0, 0], [0, 1]])]
    g = sp.zeros(5, 5)
    for i in range(2):
        for j in range(2):
            g[i, j] = Si[i, j]
    for i in range(2, 5):
        for j in range(2, 5):
            g[i, j] = sp.simplify(sp.Rational(1, 2) * (Si * dS[i] * Si * dS[j]).trace())
    gi = sp.simplify(g.inv())
    first = [[[sp.Rational(1, 2) * (sp.diff(g[j, l], th[i]) + sp.diff(g[i, l], th[j]) - sp.diff(g[i, j], th[l])) for l in range(5)] for j in range(5)] for i in range(5)]
    gamma = [[[sp.simplify(sum(gi[k, l] * first[i][j][l] for l in range(5))) for j in range(5)] for i in range(5)] for k in range(5)]
    f = sp.lambdify(th, gamma, modules='numpy')
    point = [0.3, -0.4, 1.7, 0.3, 1.2]
    vals = f(*point)
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    times = []
    for _ in range(reps):
        n = 0
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < 0.3:
            f(*point)
            n += 1
        times.append((time.perf_counter() - t0) / n)
    times.sort()
    print(json.dumps({"sympy": sp.__version__, "median_us": times[len(times) // 2] * 1e6, "point": point,
                      "christoffel": [[[float(v) for v in row] for row in mat] for mat in vals]}))


if __name__ == "__main__":
    main()
