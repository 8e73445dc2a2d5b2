/**
 * `infogeo check <family|file.yaml> [--json]`: numeric self-check of a family (normalisation,
 * exponential-family identity and E[T], Fisher symmetric / positive definite / equal to quadrature
 * of E[∂l ∂l]) at a few in-domain points; see src/compile/checkFamily.ts.
 * Exit 0 when every check passes, 2 when one fails (each failure is named with the file).
 */
import { UsageError } from '../../core/errors.js';
import { checkFamily, checkPoints, type Check } from '../../compile/checkFamily.js';
import { verifyDeclaredMle } from '../../solve/crb/verifyMle.js';
import { compileFamily } from '../../compile/compileFamily.js';
import { loadFamily } from '../../node/loadFamily.js';
import { deriveFamily } from '../../derive/deriveFamily.js';
import { parseFlags, parseParams } from '../args.js';
import { DomainError } from '../../core/errors.js';
import type { CliIO } from '../io.js';

export const help = [
  'infogeo check <family|file.yaml> [--at name=value,...] [--json]',
  '  Numeric self-check at in-domain points (two default points, or the one given by --at): density normalized',
  '  (1e-8), exponential-family identity and E[T], Fisher metric symmetric, positive definite, identifiable and',
  '  equal to quadrature of E[∂l ∂l]; a declared mle: closed form maximises the likelihood and equals Fisher',
  '  scoring on a seeded sample. Exit 2 if a check fails.',
].join('\n');

export async function run(args: string[], io: CliIO): Promise<number> {
  const p = parseFlags(args, { at: 'string', json: 'boolean', help: 'boolean' });
  if (p.flags.help) return io.out(help + '\n'), 0;
  if (p.positional.length !== 1) throw new UsageError(`expected one family argument\n${help}`);
  const spec = loadFamily(p.positional[0], { cwd: io.cwd });
  const d = deriveFamily(spec);
  const compiled = compileFamily(d);
  let at: number[][] | undefined;
  if (typeof p.flags.at === 'string') {
    const theta = parseParams(p.flags.at, compiled.paramNames, '--at');
    const problem = compiled.checkPoint(theta);
    if (problem) throw new DomainError(`--at is outside the domain of ${spec.name}: ${problem}`);
    at = [Array.from(theta)];
  }
  const checks: Check[] = checkFamily(d, compiled, at);
  if (spec.mle) {
    for (const th of at ?? checkPoints(compiled, d)) {
      const r = verifyDeclaredMle(spec, compiled, th);
      if (r) checks.push({ name: 'mle closed form', at: d.params.map((n, i) => `${n}=${th[i]}`).join(', '), ok: r.ok, value: r.value, tol: 1e-8, detail: r.detail });
    }
  }
  const failed = checks.filter((c) => !c.ok);
  if (p.flags.json) {
    io.out(JSON.stringify({ family: spec.name, file: spec.file, ok: failed.length === 0, checks }) + '\n');
  } else {
    const w = Math.max(...checks.map((c) => c.name.length));
    const wa = Math.max(...checks.map((c) => c.at.length));
    io.out(`check ${spec.name} (${spec.file})\n`);
    for (const c of checks) io.out(`  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(w)}  ${c.at.padEnd(wa)}  ${c.detail}\n`);
    io.out(`${checks.length - failed.length} passed, ${failed.length} failed\n`);
  }
  for (const c of failed) io.err(`${spec.file}: check '${c.name}' failed at ${c.at}: ${c.detail}\n`);
  return failed.length ? 2 : 0;
}
