/**
 * infogeo command-line interface: `infogeo <verb> <family> [options] [--json]`.
 * Thin dispatcher: each verb lives in src/cli/verbs/<verb>.ts and exports `run(args, io)`.
 * Verbs are loaded lazily so that `infogeo --help` does not pay for mathjs start-up.
 *
 * Exit codes: 0 success; 2 bad input (usage, family file, out-of-domain parameters); 1 internal error, no
 * convergence, or a result that cannot be printed honestly (NumericError: not finite / cancelled).
 */
import { readFileSync } from 'node:fs';
import { ConvergenceError, DomainError, FamilyError, NumericError, shortenQuotes, UsageError } from '../core/errors.js';
import type { CliIO, VerbModule } from './io.js';
import { defaultIO } from './io.js';
import { enableRelaxedSimd } from '../node/wasmFeatures.js';

// Fused multiply-add in the softmax WebAssembly kernels (Node 20 needs a V8 flag; see node/wasmFeatures.ts).
enableRelaxedSimd();

/** verb → lazy module loader. Each helper adds its verb here. */
const VERBS: Record<string, () => Promise<VerbModule>> = {
  fisher: () => import('./verbs/fisher.js'),
  christoffel: () => import('./verbs/christoffel.js'),
  curvature: () => import('./verbs/curvature.js'),
  kl: () => import('./verbs/kl.js'),
  compile: () => import('./verbs/compile.js'),
  check: () => import('./verbs/check.js'),
  derive: () => import('./verbs/derive.js'),
  docs: () => import('./verbs/docs.js'),
  softmax: () => import('./verbs/softmax.js'),
  crb: () => import('./verbs/crb.js'),
  geodesic: () => import('./verbs/geodesic.js'),
  distance: () => import('./verbs/distance.js'),
  fit: () => import('./verbs/fit.js'),
  design: () => import('./verbs/design.js'),
  divergence: () => import('./verbs/divergence.js'),
  dual: () => import('./verbs/dual.js'),
  project: () => import('./verbs/project.js'),
  transport: () => import('./verbs/transport.js'),
  mean: () => import('./verbs/mean.js'),
  region: () => import('./verbs/region.js'),
  list: () => import('./verbs/list.js'),
};

/** One line per verb for the top-level usage (kept here so that `infogeo --help` loads no verb module). */
const SUMMARY: Record<string, string> = {
  fisher: 'Fisher information matrix at a point',
  christoffel: 'Christoffel symbols Γ^k_ij (or Γ_ij,k, α-connections) at a point',
  curvature: 'scalar curvature and Ricci tensor at a point',
  kl: 'exact KL divergence between two points vs its quadratic approximation',
  compile: 'standalone TypeScript module of a family',
  check: 'numeric self-check of a family file',
  derive: 'step-by-step derivation as LaTeX, HTML (KaTeX) or JSON',
  docs: 'static documentation site with a browser playground',
  softmax: 'softmax-layer natural gradient (exact, K-FAC, diagonal, empirical) and a training demo',
  crb: 'Cramér–Rao check by Monte Carlo (samplers, MLE, efficiency)',
  geodesic: 'geodesic from a point and a velocity (exponential map)',
  distance: 'Fisher–Rao distance between two points (log map)',
  fit: 'maximum-likelihood fit of a family to data (natural gradient)',
  design: 'locally optimal approximate design (D, A, E) of a model with covariates',
  divergence: 'α, Rényi, Hellinger, Bhattacharyya, Jeffreys and KL divergences between two points',
  dual: 'natural ↔ expectation coordinates, potentials and Bregman divergence of an exponential family',
  project: 'e- or m-projection of a point onto a subfamily',
  transport: 'parallel transport of vectors along a geodesic (Levi-Civita or α-connection)',
  mean: 'Fréchet (Karcher) mean of points under the Fisher–Rao distance',
  region: 'confidence regions of a 2-parameter fit: Wald ellipse, geodesic ball, likelihood ratio',
  list: 'built-in families with titles and parameters',
};

/** Version from the package.json next to src/ or dist/. */
export function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function usage(): string {
  const w = Math.max(...Object.keys(VERBS).map((v) => v.length));
  return [
    'usage: infogeo <verb> <family|file.yaml> [options] [--json]',
    '       infogeo help <verb> | infogeo --version',
    '',
    'verbs:',
    ...Object.keys(VERBS).map((v) => `  ${v.padEnd(w)}  ${SUMMARY[v] ?? ''}`.trimEnd()),
    '',
    'Run `infogeo help <verb>` (or `infogeo <verb> --help`) for the options of one verb.',
    'A <family> is a built-in name (`infogeo list`) or a path to a family file.',
  ].join('\n');
}

export async function main(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === '--version' || verb === '-V' || verb === 'version') {
    io.out(`infogeo ${version()}\n`);
    return 0;
  }
  if (verb === 'help' && rest.length > 0) return main([rest[0], '--help'], io);
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    io.out(usage() + '\n');
    return verb ? 0 : 2;
  }
  const load = Object.hasOwn(VERBS, verb) ? VERBS[verb] : undefined;
  if (!load) {
    io.err(`infogeo: unknown verb '${Array.from(verb).slice(0, 40).join('')}'; verbs: ${Object.keys(VERBS).join(', ')}\nRun \`infogeo --help\` for what each does.\n`);
    return 2;
  }
  try {
    const mod = await load();
    return (await mod.run(rest, io)) ?? 0;
  } catch (e) {
    // Quoted input in a message is cut to a short excerpt, line by line (FamilyError already is).
    const short = (m: string) => m.split('\n').map(shortenQuotes).join('\n');
    if (e instanceof UsageError || e instanceof DomainError || e instanceof FamilyError) {
      io.err(`infogeo ${verb}: ${short(e.message)}\n`);
      return 2;
    }
    if (e instanceof ConvergenceError || e instanceof NumericError) {
      io.err(`infogeo ${verb}: ${short(e.message)}\n`);
      return 1;
    }
    io.err(`infogeo ${verb}: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  }
}
