/**
 * Semantic check of a derivation document: every printed right-hand side (one line, and the broken lines joined)
 * is parsed back from its TeX (src/report/latex/parseLatex.ts) and evaluated with the project's own evaluator
 * (src/core/evaluate.ts: digamma, polygamma, Bessel functions, …) at random points of the parameter domain and
 * of the data variables, and compared with the derived expression the equation stands for (`value`). Names
 * defined by earlier equations (g_ij, det g, ∂_k g_ij, …) are bound to the values of their definitions.
 *
 * An expectation E_θ[f] (the derive stage's `expect(f)` node, printed `\mathbb{E}_\theta[f]`) is evaluated as a
 * fixed random linear functional Σ_k w_k f(x_k): both sides are linear in E, so every presentation rewrite that is
 * valid for the true expectation is valid for it, and the integrand is compared at several x_k.
 */
import { ConstantNode, FunctionNode, OperatorNode, SymbolNode, type MathNode } from 'mathjs';
import { evaluate } from '../../src/core/evaluate.js';
import { checkPoint } from '../../src/declare/checkPoint.js';
import type { Expr, FamilySpec } from '../../src/declare/types.js';
import type { DerivationDocument, DocEquation } from '../../src/report/derivation/derivationDocument.js';
import { parseLatex, type Parsed } from '../../src/report/latex/parseLatex.js';
import { symbolTex } from '../../src/report/latex/printLatex.js';
import { rng } from '../derive/helpers.js';

type Value = number | number[][];

/** Deterministic PRNG (mulberry32), shared with the derive tests. */
export { rng };

/** A random point of the parameter domain (rejection against the family's constraints). */
export function domainPoint(spec: FamilySpec, rnd: () => number): number[] {
  for (let attempt = 0; attempt < 500; attempt++) {
    const theta = spec.params.map((p) => (p.domain === 'real' ? -1.5 + 3 * rnd() : p.domain === 'positive' ? 0.4 + 2.5 * rnd() : 0.05 + 0.3 * rnd()));
    if (checkPoint(spec, theta) === null) return theta;
  }
  throw new Error(`no domain point found for ${spec.name}`);
}

/** Values of the data variables inside the support (or at least where the log-density is finite). */
function dataPoint(spec: FamilySpec, rnd: () => number): number[] {
  const s = spec.support;
  return spec.variables.map(() => {
    switch (s.kind) {
      case 'real': return -1.5 + 3 * rnd();
      case 'positive': return 0.3 + 2 * rnd();
      case 'unit': return 0.1 + 0.8 * rnd();
      case 'simplex': return 0.05 + 0.4 * rnd();
      case 'circle': return -3 + 6 * rnd();
      case 'nonnegint': return Math.floor(6 * rnd());
      case 'integers': return s.lo + Math.floor((s.hi - s.lo + 1) * rnd());
      case 'finite': return s.values[Math.floor(s.values.length * rnd())];
    }
  });
}

/** expect(f) → Σ_k w_k f(x_k) over fixed samples of the data variables. */
function linearExpectation(e: MathNode, vars: readonly string[], samples: readonly number[][], weights: readonly number[]): MathNode {
  return e.transform((n) => {
    // Γ(u) of the printed densities = exp(ln Γ(u)) for the positive arguments that occur there
    if (n.type === 'FunctionNode' && (n as unknown as { fn: { name: string } }).fn.name === 'gamma') {
      return new FunctionNode(new SymbolNode('exp'), [new FunctionNode(new SymbolNode('lgamma'), (n as unknown as { args: MathNode[] }).args)]);
    }
    if (n.type !== 'FunctionNode' || (n as unknown as { fn: { name: string } }).fn.name !== 'expect') return n;
    const f = linearExpectation((n as unknown as { args: MathNode[] }).args[0], vars, samples, weights);
    let acc: MathNode = new ConstantNode(0);
    samples.forEach((x, k) => {
      const at = f.transform((m) => {
        const i = m.type === 'SymbolNode' ? vars.indexOf((m as unknown as { name: string }).name) : -1;
        return i >= 0 ? new ConstantNode(x[i]) : m;
      });
      acc = new OperatorNode('+', 'add', [acc, new OperatorNode('*', 'multiply', [new ConstantNode(weights[k]), at])]);
    });
    return acc;
  });
}

function close(a: number, b: number, tol: number): boolean {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Number.isNaN(a) === Number.isNaN(b) && (Number.isNaN(a) || a === b);
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
}

export interface SemanticReport {
  /** Equations compared (per point, per rendering). */
  readonly compared: number;
  /** Equations without a derived value attached (text-only lhs such as moments tables are still compared). */
  readonly unchecked: string[];
  readonly problems: string[];
}

/**
 * Checks every equation of `doc` at `points` random points. `extraSymbols` are additional free symbols of the
 * document (KL target parameters, δθ) that receive random values.
 */
export function checkDocumentSemantics(doc: DerivationDocument, spec: FamilySpec, opts: { points?: number; seed?: number; tol?: number } = {}): SemanticReport {
  const rnd = rng(opts.seed ?? 12345);
  const tol = opts.tol ?? 1e-8;
  const problems: string[] = [];
  const unchecked: string[] = [];
  let compared = 0;
  const eqs: DocEquation[] = doc.sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === 'equations' ? [...b.equations] : [])));
  /** Equations and the text blocks that define names, in document order. */
  type Item = DocEquation | { defines: readonly { id: string; expr: Expr }[] };
  const items: Item[] = doc.sections.flatMap((s) =>
    s.blocks.flatMap((b): Item[] => (b.kind === 'equations' ? [...b.equations] : b.defines ? [{ defines: b.defines }] : [])),
  );
  // opaque symbols of the derivation (e.g. log Z of a declared series normaliser and its derivatives): free
  // symbols with random values, printed by the printer's default symbol TeX
  const known = new Set([...Object.keys(doc.symbols ?? {}), ...spec.params.map((p) => p.name), ...spec.variables, ...Object.keys(spec.constants), 'pi', 'e']);
  const opaque = new Set<string>();
  const collect = (x: Expr) => x.traverse((n) => {
    if (n.type === 'SymbolNode' && !known.has((n as unknown as { name: string }).name)) opaque.add((n as unknown as { name: string }).name);
  });
  for (const e of eqs) {
    const v = e.value;
    if (v) (Array.isArray(v) ? (v as Expr[][]).flat() : [v as Expr]).forEach(collect);
    for (const d of e.defines ?? []) collect(d.expr);
  }
  const table: Record<string, string> = { ...(doc.symbols ?? {}) };
  for (const name of opaque) table[name] = symbolTex(name, doc.symbols);
  const parsed = new Map<DocEquation, { one: Parsed; lines: Parsed | null } | null>();
  for (const e of eqs) {
    if (!e.value) {
      unchecked.push(e.lhs);
      continue;
    }
    try {
      parsed.set(e, { one: parseLatex(e.rhs, table), lines: e.lines ? parseLatex(e.lines.join(' '), table) : null });
    } catch (err) {
      problems.push(`${e.lhs}: ${(err as Error).message}`);
      parsed.set(e, null);
    }
  }
  const vars = spec.variables;
  for (let k = 0; k < (opts.points ?? 3); k++) {
    const theta = domainPoint(spec, rnd);
    const other = domainPoint(spec, rnd);
    const scope: Record<string, number> = { ...spec.constants };
    spec.params.forEach((p, i) => (scope[p.name] = theta[i]));
    // free symbols of the document other than parameters and names: data variables, KL target, δθ
    const x = dataPoint(spec, rnd);
    vars.forEach((v, i) => (scope[v] = x[i]));
    for (const id of Object.keys(doc.symbols ?? {})) {
      if (Object.hasOwn(scope, id)) continue;
      if (/^__d\d+$/.test(id)) scope[id] = -1 + 2 * rnd();
      const i = spec.params.findIndex((p) => id === `${p.name}_to`);
      if (i >= 0) scope[id] = other[i];
    }
    for (const name of opaque) scope[name] = 0.3 + rnd();
    const samples = [0, 1, 2].map(() => dataPoint(spec, rnd));
    const weights = [0.3 + rnd(), 0.3 + rnd(), 0.3 + rnd()];
    const ev = (node: Expr): number => {
      try {
        return evaluate(linearExpectation(node, vars, samples, weights), scope);
      } catch (err) {
        throw new Error(`${(err as Error).message} in ${node.toString().slice(0, 200)}`);
      }
    };
    const evalValue = (v: NonNullable<DocEquation['value']>): Value => (Array.isArray(v) ? (v as Expr[][]).map((r) => r.map(ev)) : ev(v as Expr));
    const evalParsed = (p: Parsed): Value => (p.kind === 'scalar' ? ev(p.node) : p.rows.map((r) => r.map(ev)));
    for (const item of items) {
      if (!('lhs' in item)) {
        for (const def of item.defines) scope[def.id] = ev(def.expr);
        continue;
      }
      const e = item;
      if (!e.value) continue;
      let want: Value;
      try {
        want = evalValue(e.value);
      } catch (err) {
        problems.push(`${e.lhs}: derived value: ${(err as Error).message}`);
        continue;
      }
      const p = parsed.get(e);
      if (p) {
        for (const [label, q] of [['rhs', p.one], ['lines', p.lines]] as const) {
          if (!q) continue;
          let got: Value;
          try {
            got = evalParsed(q);
          } catch (err) {
            problems.push(`${e.lhs} (${label}): ${(err as Error).message}`);
            continue;
          }
          compared++;
          const a = typeof want === 'number' ? [[want]] : want;
          const b = typeof got === 'number' ? [[got]] : got;
          const same = a.length === b.length && a.every((r, i) => r.length === b[i].length && r.every((v, j) => close(v, b[i][j], tol)));
          if (!same) problems.push(`${e.lhs} (${label}) at θ=${theta.map((t) => t.toFixed(3))}: printed ${JSON.stringify(got)} ≠ derived ${JSON.stringify(want)}\n  TeX: ${(label === 'rhs' ? e.rhs : e.lines!.join(' ')).slice(0, 300)}`);
        }
      }
      for (const def of e.defines ?? []) {
        try {
          scope[def.id] = ev(def.expr);
        } catch (err) {
          problems.push(`${e.lhs}: definition of ${def.id}: ${(err as Error).message}`);
        }
      }
    }
  }
  return { compared, unchecked, problems };
}
