/**
 * Test helper: a Derivation assembled from hand-written expressions (independent of the derive
 * stage), so the compile stage can be checked against closed forms on its own.
 * Unspecified objects are null; `fisher` defaults to the score form expect(s_i * s_j).
 */
import { parse } from 'mathjs';
import type { MathNode } from 'mathjs';
import { loadFamily } from '../../src/node/loadFamily.js';
import type { FamilySpec } from '../../src/declare/types.js';
import type { Derivation } from '../../src/derive/types.js';

type Nested = string | Nested[];

function tree(x: Nested): any {
  return typeof x === 'string' ? parse(x) : x.map(tree);
}

export interface HandObjects {
  score: string[];
  fisher?: string[][];
  dFisher?: string[][][];
  d2Fisher?: string[][][][];
  christoffelFirst?: string[][][];
  christoffel?: string[][][];
  amariChentsov?: string[][][];
  scalarCurvature?: string;
  kl?: { expr: string; toSymbols: string[] };
}

export function handDerivation(family: string | FamilySpec, o: HandObjects): Derivation {
  const spec = typeof family === 'string' ? loadFamily(family) : family;
  const params = spec.params.map((p) => p.name);
  const n = params.length;
  const score = o.score.map((s) => parse(s));
  const fisher: MathNode[][] =
    o.fisher !== undefined
      ? tree(o.fisher)
      : params.map((_, i) => params.map((__, j) => parse(`expect((${o.score[i]}) * (${o.score[j]}))`)));
  return {
    family: spec,
    dim: n,
    params,
    logDensity: spec.logDensity,
    score,
    hessian: [],
    nonSmooth: false,
    fisher,
    dFisher: o.dFisher ? tree(o.dFisher) : null,
    d2Fisher: o.d2Fisher ? tree(o.d2Fisher) : null,
    christoffelFirst: o.christoffelFirst ? tree(o.christoffelFirst) : null,
    christoffel: o.christoffel ? tree(o.christoffel) : null,
    amariChentsov: o.amariChentsov ? tree(o.amariChentsov) : null,
    scalarCurvature: o.scalarCurvature ? parse(o.scalarCurvature) : null,
    kl: o.kl ? { expr: parse(o.kl.expr), toSymbols: o.kl.toSymbols } : null,
    routes: {},
    steps: [],
    millis: 0,
  };
}
