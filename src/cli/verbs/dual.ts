/**
 * `infogeo dual <family> --at ... | --natural ... | --expectation ... [--to ... [--samples K]] [--json]`:
 * the dual coordinates of an exponential family (natural ν, expectation μ = E[T], log-partition A,
 * Legendre dual A*), the inverse maps, and the e-/m-geodesics between two points.
 */
import { UsageError } from '../../core/errors.js';
import { dualGeodesic } from '../../solve/dual/dualCoordinates.js';
import { namedValues, parseDecimal, parseFlags } from '../args.js';
import { loadDual, requireDual } from '../dual.js';
import { fmt, pointOf } from '../family.js';
import type { CliIO } from '../io.js';
import { checkOutput } from '../outputCheck.js';

export const help = [
  'infogeo dual <family|file.yaml> (--at name=value,... | --natural v1,v2,... | --expectation v1,v2,...) [--to name=value,... [--samples K]] [--json]',
  '  Dual coordinates of a full exponential family (one with an expfam block and as many natural parameters as',
  '  parameters): natural ν(θ) (the file\'s eta), expectation μ(θ) = E[T], log-partition A and its Legendre dual',
  '  A* = ⟨ν, μ⟩ − A. --natural / --expectation invert the maps (Newton; the residual reached is printed).',
  '  With --to: the Bregman divergence of A (= KL(at‖to)) and K points (default 11) of the e-geodesic (straight',
  '  in ν) and the m-geodesic (straight in μ) from --at to --to.',
].join('\n');

function vector(text: string, n: number, what: string): Float64Array {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length !== n) throw new UsageError(`${what} needs ${n} comma-separated numbers, got ${parts.length}`);
  return Float64Array.from(parts, (s, i) => {
    const v = parseDecimal(s);
    if (v === null) throw new UsageError(`${what} entry ${i + 1} must be a finite decimal number, got '${s.slice(0, 30)}'`);
    return v;
  });
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseFlags(args, { at: 'string', natural: 'string', expectation: 'string', to: 'string', samples: 'number', json: 'boolean', help: 'boolean' });
  if (p.flags.help) return io.out(help + '\n'), 0;
  if (p.positional.length !== 1) throw new UsageError(`expected one family argument\n${help}`);
  const given = ['at', 'natural', 'expectation'].filter((k) => typeof p.flags[k] === 'string');
  if (given.length !== 1) throw new UsageError('give exactly one of --at, --natural, --expectation');
  const samples = (p.flags.samples as number | undefined) ?? 11;
  if (!Number.isInteger(samples) || samples < 2 || samples > 10000) throw new UsageError('--samples must be an integer between 2 and 10000');
  if (p.flags.samples !== undefined && p.flags.to === undefined) throw new UsageError('--samples goes with --to');
  const fam = loadDual(p.positional[0], io.cwd);
  const { dual } = requireDual(fam);
  const names = fam.compiled.paramNames;
  const n = names.length;
  let theta: Float64Array;
  let residual = 0;
  if (given[0] === 'at') theta = pointOf(fam, p.flags.at as string, '--at');
  else {
    const target = vector(p.flags[given[0]] as string, n, `--${given[0]}`);
    const r = given[0] === 'natural' ? dual.fromNatural(target) : dual.fromExpectation(target);
    theta = r.theta;
    residual = r.residual;
  }
  const out: Record<string, unknown> = {
    family: fam.spec.name,
    params: names,
    at: namedValues(names, theta),
    natural: Array.from(dual.natural(theta)),
    expectation: Array.from(dual.expectation(theta)),
    log_partition: dual.logPartition(theta),
    legendre_dual: dual.legendreDual(theta),
  };
  if (given[0] !== 'at') out.inverse_residual = residual;
  if (typeof p.flags.to === 'string') {
    const to = pointOf(fam, p.flags.to, '--to');
    const ts = Array.from({ length: samples }, (_, k) => k / (samples - 1));
    const path = (kind: 'e' | 'm') => dualGeodesic(dual, kind, theta, to, ts).map((r, k) => ({ t: ts[k], ...namedValues(names, r.theta), residual: r.residual }));
    out.bregman = dual.bregman(theta, to);
    out.kl = fam.compiled.kl(theta, to);
    out.e_geodesic = path('e');
    out.m_geodesic = path('m');
  }
  checkOutput(out, 'dual');
  if (p.flags.json) {
    io.out(JSON.stringify(out) + '\n');
    return 0;
  }
  io.out(`dual coordinates of ${fam.spec.name} at ${names.map((m, i) => `${m}=${fmt(theta[i])}`).join(', ')}\n`);
  if (given[0] !== 'at') io.out(`  (inverse map: relative residual ${residual.toExponential(2)})\n`);
  io.out(`  natural ν       ${(out.natural as number[]).map(fmt).join(', ')}\n  expectation μ   ${(out.expectation as number[]).map(fmt).join(', ')}\n`);
  io.out(`  A               ${fmt(out.log_partition as number)}\n  A* = ⟨ν,μ⟩ − A  ${fmt(out.legendre_dual as number)}\n`);
  if (out.bregman !== undefined) {
    io.out(`  Bregman B_A     ${fmt(out.bregman as number)}   (KL ${fmt(out.kl as number)})\n`);
    for (const kind of ['e', 'm'] as const) {
      io.out(`${kind}-geodesic\n  ${['t', ...names].map((s) => s.padStart(18)).join(' ')}\n`);
      for (const row of out[`${kind}_geodesic`] as Record<string, number>[]) io.out(`  ${['t', ...names].map((k) => fmt(row[k]).padStart(18)).join(' ')}\n`);
    }
  }
  return 0;
}
