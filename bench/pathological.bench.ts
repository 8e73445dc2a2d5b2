/**
 * Pathological-but-tiny families of issue 10 (items 2 and 3): a normal family plus
 * log(1 + log(1 + … σ)) nested n deep, or plus 1e-60·σ(σ+1)…(σ+k−1). Per case: wall-clock ms of
 * deriveFamilyWith, compileFamily and derivationDocument (or its budget error), and the node counts
 * of the σσ second derivative and of ∂σ g_σσ as DAG (distinct nodes) and as expanded tree.
 * Peer: the built-in normal family derived in the same process (ratio = case ms / normal ms).
 * Run: node bin/run-ts.js bench/pathological.bench.ts
 */
import { parseFamily } from '../src/declare/parseFamily.js';
import { loadFamily } from '../src/node/loadFamily.js';
import { deriveFamilyWith } from '../src/derive/deriveFamily.js';
import { compileFamily } from '../src/compile/compileFamily.js';
import { derivationDocument } from '../src/report/derivation/derivationDocument.js';
import { dagSize, size } from '../src/derive/build.js';
import { familyWith, nestedLog, product } from '../test/helpers/pathological.js';

const t0 = performance.now();
deriveFamilyWith(loadFamily('normal'));
const peerMs = performance.now() - t0;

const cases: [string, string][] = [
  ...[5, 10, 20, 30].map((n): [string, string] => [`nestedLog${n}`, nestedLog(n)]),
  ...[10, 20, 40].map((k): [string, string] => [`product${k}`, `1e-60*${product(k)}`]),
];
const out: Record<string, unknown> = { peer: { family: 'normal', deriveMs: +peerMs.toFixed(1) } };
for (const [name, extra] of cases) {
  const spec = parseFamily(familyWith(extra), `${name}.yaml`);
  let t = performance.now();
  const d = deriveFamilyWith(spec);
  const deriveMs = performance.now() - t;
  t = performance.now();
  compileFamily(d);
  const compileMs = performance.now() - t;
  t = performance.now();
  let doc: string;
  try {
    derivationDocument(d);
    doc = 'ok';
  } catch (e) {
    doc = (e as Error).message.replace(/^[^:]*:\d+ \(field logDensity\): /, '').slice(0, 160);
  }
  const docMs = performance.now() - t;
  const h = d.hessian[1][1];
  const dg = d.dFisher![1][1][1];
  out[name] = {
    chars: extra.length,
    deriveMs: +deriveMs.toFixed(1),
    ratioToPeer: +(deriveMs / peerMs).toFixed(2),
    compileMs: +compileMs.toFixed(1),
    docMs: +docMs.toFixed(1),
    doc,
    hessianSigmaSigma: { dag: dagSize([h]), tree: size(h) },
    dSigmaFisherSigmaSigma: { dag: dagSize([dg]), tree: size(dg) },
  };
}
console.log(JSON.stringify(out));
