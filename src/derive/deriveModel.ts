/**
 * Derivation of a model with covariates: observation i is y_i ~ p(y; ψ(θ, z_i)) for a base family p
 * with parameters ψ = (ψ_1 … ψ_m) given by the model's link expressions. By the chain rule the score
 * is J(θ, z)ᵀ s(y; ψ) and the Fisher information of one observation at covariate z is
 *   I_z(θ) = J(θ, z)ᵀ g(ψ(θ, z)) J(θ, z),   J_ai = ∂ψ_a/∂θ_i,
 * with g the base family's Fisher metric; a design {(z_k, w_k)} has I(θ) = Σ_k w_k I_{z_k}(θ).
 * J is symbolic (own differentiator, simplified). When the base metric is a closed form, I_z is built
 * symbolically by substituting ψ into g; when it comes from quadrature, `pointFisher` is null and the
 * compile stage evaluates g(ψ) numerically with the same J.
 */
import { FamilyError } from '../core/errors.js';
import type { Expr } from '../declare/types.js';
import type { ModelSpec } from '../declare/parseModel.js';
import { add, mul, strip, substitute, ZERO } from './build.js';
import { deriveFamily } from './deriveFamily.js';
import { differentiate } from './differentiate.js';
import { anyExpect } from './fisher.js';
import { simplify } from './simplify.js';
import type { Derivation } from './types.js';

export interface ModelDerivation {
  readonly model: ModelSpec;
  readonly base: Derivation;
  readonly params: readonly string[];
  /** ψ_a(θ, z), base parameter order. */
  readonly link: readonly Expr[];
  /** J[a][i] = ∂ψ_a/∂θ_i. */
  readonly jacobian: readonly (readonly Expr[])[];
  /** I_z(θ)[i][j] as expressions of θ and z, or null when the base metric needs quadrature. */
  readonly pointFisher: readonly (readonly Expr[])[] | null;
  /** The base metric with ψ substituted, g_ab(ψ(θ, z)) (null with pointFisher). */
  readonly baseFisherAtLink: readonly (readonly Expr[])[] | null;
  /** Constants of the base family and of the model together (compile substitutes them). */
  readonly constants: Readonly<Record<string, number>>;
}

export function deriveModel(model: ModelSpec): ModelDerivation {
  const base = deriveFamily(model.family);
  const names = model.params.map((p) => p.name);
  const clash = Object.keys(model.family.constants).filter((c) => names.includes(c) || model.covariates.includes(c) || c in model.constants);
  if (clash.length) {
    throw new FamilyError([{ file: model.file, field: 'params', message: `name(s) ${clash.join(', ')} are fixed constants of the base family ${model.family.name}; rename them in the model` }]);
  }
  const link = model.link.map((e) => simplify(strip(e)));
  const jacobian = link.map((psi) => names.map((t) => simplify(differentiate(psi, t))));
  let pointFisher: Expr[][] | null = null;
  let baseFisherAtLink: Expr[][] | null = null;
  if (!anyExpect(base.fisher)) {
    const map = new Map(base.params.map((b, a) => [b, link[a]] as const));
    baseFisherAtLink = base.fisher.map((row) => row.map((g) => substitute(g, map)));
    const m = link.length;
    const n = names.length;
    pointFisher = Array.from({ length: n }, () => new Array<Expr>(n));
    for (let i = 0; i < n; i++)
      for (let j = i; j < n; j++) {
        let s: Expr = ZERO;
        for (let a = 0; a < m; a++)
          for (let b = 0; b < m; b++) s = add(s, mul(mul(jacobian[a][i], baseFisherAtLink[a][b]), jacobian[b][j]));
        pointFisher[i][j] = pointFisher[j][i] = simplify(s);
      }
  }
  return { model, base, params: names, link, jacobian, pointFisher, baseFisherAtLink, constants: { ...model.family.constants, ...model.constants } };
}
