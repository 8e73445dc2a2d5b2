/**
 * Hand-written derivations (closed forms from the literature) used to test the report builders
 * independently of the derive stage.
 *  normal(mu, sigma): g = diag(1/σ², 2/σ²), Γ^μ_μσ = −1/σ, Γ^σ_μμ = 1/(2σ), Γ^σ_σσ = −1/σ, R = −1.
 *  gamma(alpha, beta) (rate): g = [[ψ₁(α), −1/β], [−1/β, α/β²]] (Christoffel symbols left to the numeric side).
 */
import { parse } from 'mathjs';
import type { Derivation } from '../../../src/derive/types.js';
import type { Expr, FamilySpec } from '../../../src/declare/types.js';

const P = (s: string): Expr => parse(s);
const M = (rows: string[][]) => rows.map((r) => r.map(P));

function spec(over: Partial<FamilySpec>): FamilySpec {
  return {
    name: 'x', title: 'X', file: '/dev/null', params: [], constraints: [], constants: {}, variables: ['x'],
    support: { kind: 'real' }, breakpoints: [], logDensity: P('0'), logDensityCases: null, expfam: null,
    moments: new Map(), fisher: null, sampler: null, mle: null, notes: '', ...over,
  };
}

export function normalDerivation(): Derivation {
  const family = spec({
    name: 'normal', title: 'Normal distribution',
    params: [{ name: 'mu', domain: 'real', tex: '\\mu' }, { name: 'sigma', domain: 'positive', tex: '\\sigma' }],
    logDensity: P('-log(sigma) - (x-mu)^2/(2*sigma^2) - log(2*pi)/2'),
    expfam: { eta: [P('mu/sigma^2'), P('-1/(2*sigma^2)')], T: [P('x'), P('x^2')], A: P('mu^2/(2*sigma^2) + log(sigma)'), ET: [P('mu'), P('mu^2+sigma^2')], base: P('-log(2*pi)/2') },
    notes: 'Location μ, scale σ (standard deviation): 50% of the mass lies within 0.674σ.',
  });
  return {
    family, dim: 2, params: ['mu', 'sigma'], logDensity: family.logDensity,
    score: [P('(x-mu)/sigma^2'), P('-1/sigma + (x-mu)^2/sigma^3')],
    hessian: M([['-1/sigma^2', '-2*(x-mu)/sigma^3'], ['-2*(x-mu)/sigma^3', '1/sigma^2 - 3*(x-mu)^2/sigma^4']]),
    nonSmooth: false,
    fisher: M([['1/sigma^2', '0'], ['0', '2/sigma^2']]),
    dFisher: null, d2Fisher: null,
    christoffelFirst: null,
    christoffel: [M([['0', '-1/sigma'], ['-1/sigma', '0']]), M([['1/(2*sigma)', '0'], ['0', '-1/sigma']])],
    // T_μμσ = E[s_μ² s_σ] = 2/σ³, T_σσσ = 8/σ³ (third moments of the normal score), all others 0
    amariChentsov: [
      [[P('0'), P('2/sigma^3')], [P('2/sigma^3'), P('0')]],
      [[P('2/sigma^3'), P('0')], [P('0'), P('8/sigma^3')]],
    ],
    scalarCurvature: P('-1'),
    kl: { expr: P('log(sigma_to/sigma) + (sigma^2 + (mu - mu_to)^2)/(2*sigma_to^2) - 1/2'), toSymbols: ['mu_to', 'sigma_to'] },
    routes: { fisher: 'exponential-family', christoffel: 'exponential-family', curvature: 'exponential-family', kl: 'exponential-family', amariChentsov: 'exponential-family' },
    steps: [{ title: 'Scalar curvature', text: 'Brioschi formula.' }, { title: 'Check', text: 'Symmetric in $i, j$ — verified; ∂ and θ survive.', equations: [{ lhs: '\\operatorname{tr} g', rhs: P('3/sigma^2') }, { lhs: 'g', rhs: M([['1/sigma^2', '0'], ['0', '2/sigma^2']]) }] }],
    millis: 1,
  };
}

export function gammaDerivation(): Derivation {
  const family = spec({
    name: 'gamma', title: 'Gamma distribution (shape, rate)',
    params: [{ name: 'alpha', domain: 'positive', tex: '\\alpha' }, { name: 'beta', domain: 'positive', tex: '\\beta' }],
    support: { kind: 'positive' },
    logDensity: P('alpha*log(beta) - lgamma(alpha) + (alpha-1)*log(x) - beta*x'),
    moments: new Map([['x', P('alpha/beta')], ['log(x)', P('digamma(alpha) - log(beta)')]]),
  });
  return {
    family, dim: 2, params: ['alpha', 'beta'], logDensity: family.logDensity,
    score: [P('log(beta) - digamma(alpha) + log(x)'), P('alpha/beta - x')],
    hessian: M([['-trigamma(alpha)', '1/beta'], ['1/beta', '-alpha/beta^2']]),
    nonSmooth: false,
    fisher: M([['trigamma(alpha)', '-1/beta'], ['-1/beta', 'alpha/beta^2']]),
    dFisher: null, d2Fisher: null,
    christoffelFirst: [
      [[P('polygamma(2,alpha)/2'), P('0')], [P('0'), P('1/(2*beta^2)')]],
      [[P('0'), P('1/(2*beta^2)')], [P('1/(2*beta^2)'), P('-alpha/beta^3')]],
    ],
    christoffel: null, amariChentsov: null, scalarCurvature: null, kl: null,
    routes: { fisher: 'moments' },
    steps: [],
    millis: 1,
  };
}
