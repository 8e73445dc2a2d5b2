/**
 * Derive-stage cost over the whole catalogue: per family the wall-clock and CPU milliseconds of
 * deriveFamily (cold: first derivation in a fresh process, caches empty) and the tree sizes
 * (node counts) of the metric g, the Christoffel symbols Γ^k_ij (second kind; first kind when the
 * second is not symbolic), the Amari–Chentsov tensor and the scalar curvature. Prints one JSON line.
 * Run: node bin/run-ts.js bench/derive.bench.ts
 */
import { listFamilies, loadFamily } from '../src/node/loadFamily.js';
import { deriveFamilyWith } from '../src/derive/deriveFamily.js';
import { size, type Expr } from '../src/derive/build.js';

const total = (xs: unknown): number => (Array.isArray(xs) ? xs.reduce((a: number, x) => a + total(x), 0) : xs ? size(xs as Expr) : 0);

const specs = listFamilies().map((n) => loadFamily(n));
const families: Record<string, unknown> = {};
const c0 = process.cpuUsage();
const t0 = performance.now();
for (const spec of specs) {
  const c = process.cpuUsage();
  const t = performance.now();
  const d = deriveFamilyWith(spec);
  const wall = performance.now() - t;
  const cu = process.cpuUsage(c);
  families[spec.name] = {
    wallMs: +wall.toFixed(1),
    cpuMs: +((cu.user + cu.system) / 1000).toFixed(1),
    routes: d.routes,
    nodes: {
      fisher: total(d.fisher),
      christoffel: d.christoffel ? total(d.christoffel) : null,
      christoffelFirst: d.christoffelFirst ? total(d.christoffelFirst) : null,
      amariChentsov: total(d.amariChentsov),
      scalarCurvature: d.scalarCurvature ? size(d.scalarCurvature) : null,
      kl: d.kl ? size(d.kl.expr) : null,
    },
  };
}
const wall = performance.now() - t0;
const cu = process.cpuUsage(c0);
// warm: derive the catalogue a second time (JIT warm, derivative caches of the node objects cold)
const t1 = performance.now();
for (const spec of specs) deriveFamilyWith(spec);
const warm = performance.now() - t1;
console.log(
  JSON.stringify({
    catalogue: specs.length,
    totalWallMs: +wall.toFixed(0),
    totalCpuMs: +((cu.user + cu.system) / 1000).toFixed(0),
    secondPassWallMs: +warm.toFixed(0),
    targetMs: 3000,
    families,
  }),
);
