/**
 * infogeo command-line interface: `infogeo <verb> <family> [options] [--json]`.
 * Thin dispatcher: each verb lives in src/cli/verbs/<verb>.ts and exports `run(args, io)`.
 * Verbs are loaded lazily so that `infogeo --help` does not pay for mathjs start-up.
 *
 * Exit codes: 0 success; 2 bad input (usage, family file, out-of-domain parameters); 1 internal error, no
 * convergence, or a result that cannot be printed honestly (NumericError: not finite / cancelled).
 */
import { ConvergenceError, DomainError, FamilyError, NumericError, shortenQuotes, UsageError } from '../core/errors.js';
import type { CliIO, VerbModule } from './io.js';
import { defaultIO } from './io.js';

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
};

function usage(): string {
  return [
    'usage: infogeo <verb> <family|file.yaml> [options] [--json]',
    '',
    'verbs:',
    ...Object.keys(VERBS).map((v) => `  ${v}`),
    '',
    'Run `infogeo <verb> --help` for the options of one verb.',
    'A <family> is a built-in name (see families/) or a path to a family file.',
  ].join('\n');
}

export async function main(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    io.out(usage() + '\n');
    return verb ? 0 : 2;
  }
  const load = Object.hasOwn(VERBS, verb) ? VERBS[verb] : undefined;
  if (!load) {
    io.err(`infogeo: unknown verb '${Array.from(verb).slice(0, 40).join('')}'\n${usage()}\n`);
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
