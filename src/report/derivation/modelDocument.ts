/**
 * The derivation of a model with covariates as a {@link DerivationDocument} (rendered like a family's:
 * LaTeX, HTML, JSON): the model (observation law and link), the Jacobian of the link, the Fisher
 * information of one observation by the chain rule I_z = Jᵀ g(ψ) J, and that of a design.
 * Every right-hand side is printed from the derived trees (no rewriting beyond the printer's own).
 */
import type { ModelDerivation } from '../../derive/deriveModel.js';
import { printLatex, printLatexMatrix, symbolTex, type LatexOptions } from '../latex/printLatex.js';
import type { DerivationDocument, DocEquation, DocSection } from './derivationDocument.js';
import { assertFamilyTexSafe, atomTex } from './familyTex.js';

export function modelDocument(d: ModelDerivation): DerivationDocument {
  const m = d.model;
  // The model's own text goes through the same last gate as a family's (whitelist, then KaTeX).
  assertFamilyTexSafe({ ...m.family, file: m.file, title: m.title, notes: m.notes, params: m.params, fisher: null, locations: undefined });
  const symbols: Record<string, string> = {};
  for (const p of m.params) symbols[p.name] = atomTex(p.tex);
  for (const c of m.covariates) symbols[c] = symbolTex(c);
  for (const c of Object.keys(m.constants)) symbols[c] = symbolTex(c);
  const opts: LatexOptions = { symbols };
  const base = m.family;
  const baseTex = base.params.map((p) => p.tex);
  const z = m.covariates.map((c) => symbolTex(c)).join(', ');
  const eq = (lhs: string, e: Parameters<typeof printLatex>[0]): DocEquation => ({ lhs, rhs: printLatex(e, opts), source: e.toString() });
  const sections: DocSection[] = [];
  sections.push({
    id: 'model',
    title: 'Model',
    blocks: [
      {
        kind: 'text',
        text: `Observation $i$ at covariate${m.covariates.length > 1 ? 's' : ''} $${z}$ follows the ${base.title} family (\`${base.name}\`) with parameters given by the link below; the model parameters are $${m.params.map((p) => p.tex).join(', ')}$.` +
          (Object.keys(m.constants).length ? ` Fixed constants: ${Object.entries(m.constants).map(([k, v]) => `$${symbolTex(k)} = ${v}$`).join(', ')}.` : ''),
      },
      { kind: 'equations', equations: d.link.map((e, a) => eq(baseTex[a], e)) },
    ],
  });
  sections.push({
    id: 'jacobian',
    title: 'Jacobian of the link',
    blocks: [
      { kind: 'text', text: `$J_{ai} = \\partial \\psi_a / \\partial \\theta_i$, rows ${baseTex.map((t) => `$${t}$`).join(', ')}, columns ${m.params.map((p) => `$${p.tex}$`).join(', ')}.` },
      { kind: 'equations', equations: [{ lhs: 'J', rhs: printLatexMatrix(d.jacobian, opts) }] },
    ],
  });
  const fisherBlocks: DocSection['blocks'][number][] = [
    { kind: 'text', text: 'By the chain rule the score of one observation is $J^\\top s(y; \\psi)$, so its Fisher information is $I_z(\\theta) = J^\\top g(\\psi)\\, J$ with $g$ the Fisher metric of the base family.' },
  ];
  if (d.pointFisher && d.baseFisherAtLink) {
    fisherBlocks.push({ kind: 'equations', equations: [{ lhs: 'g(\\psi)', rhs: printLatexMatrix(d.baseFisherAtLink, opts) }] });
    const n = d.params.length;
    const entries: DocEquation[] = [];
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) entries.push(eq(`I_{${m.params[i].tex}${m.params[j].tex}}`, d.pointFisher[i][j]));
    fisherBlocks.push({ kind: 'equations', equations: entries });
  } else {
    fisherBlocks.push({ kind: 'text', text: `The Fisher metric of ${base.name} has no closed form here (route: ${d.base.routes.fisher}); $g(\\psi)$ is evaluated numerically at each covariate point and combined with the symbolic $J$.` });
  }
  sections.push({ id: 'fisher', title: 'Fisher information of one observation', blocks: fisherBlocks });
  sections.push({
    id: 'design',
    title: 'Fisher information of a design',
    blocks: [
      { kind: 'text', text: 'For a design of covariate points $z_k$ with weights (numbers of observations) $w_k$, $I(\\theta) = \\sum_k w_k\\, I_{z_k}(\\theta)$, and the Cramér–Rao bound on the covariance of an unbiased estimator is $I(\\theta)^{-1}$.' },
    ],
  });
  return {
    family: m.name,
    title: m.title,
    params: m.params.map((p) => ({ name: p.name, tex: p.tex, domain: p.domain })),
    routes: { fisher: d.pointFisher ? 'chain rule (closed form)' : 'chain rule (numeric base metric)' },
    sections,
  };
}
