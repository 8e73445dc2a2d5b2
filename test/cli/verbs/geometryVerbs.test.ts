/**
 * CLI contract (docs/conventions.md) for fisher, christoffel, curvature and kl: JSON shapes,
 * values against closed forms, human-readable output, and exit code 2 on bad input.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { main } from '../../../src/cli/main.js';
import { memoryIO } from '../../../src/cli/io.js';

async function run(args: string[]) {
  const io = memoryIO();
  const code = await main(args, io);
  return { code, out: io.stdout, err: io.stderr, json: () => JSON.parse(io.stdout) };
}

describe('infogeo fisher', () => {
  it('fisher gamma --at alpha=2.5,beta=0.7 --json gives params and [[ψ₁(α), −1/β], [−1/β, α/β²]]', async () => {
    const r = await run(['fisher', 'gamma', '--at', 'alpha=2.5,beta=0.7', '--json']);
    expect(r.code).toBe(0);
    const j = r.json();
    expect(j.params).toEqual(['alpha', 'beta']);
    const psi1 = 0.4903577561002349; // trigamma(2.5) = π²/2 − 4 − 4/9
    expect(j.fisher[0][0]).toBeCloseTo(psi1, 14);
    expect(j.fisher[0][1]).toBeCloseTo(-1 / 0.7, 14);
    expect(j.fisher[1][0]).toBe(j.fisher[0][1]);
    expect(j.fisher[1][1]).toBeCloseTo(2.5 / 0.49, 13);
  });
  it('prints a labelled table without --json', async () => {
    const r = await run(['fisher', 'normal', '--at', 'mu=0,sigma=2']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Fisher metric of normal/);
    expect(r.out).toMatch(/mu\s+0\.25\s+0/);
    expect(r.out).toMatch(/sigma\s+0\s+0\.5/);
  });
  it('accepts a path to a user family file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'infogeo-cli-'));
    const file = join(dir, 'rayleigh.yaml');
    writeFileSync(file, [
      'name: rayleigh', 'title: Rayleigh', 'params:', '  - { name: s, domain: positive }',
      'variables: [x]', 'support: positive', 'logDensity: "log(x) - 2*log(s) - x^2/(2*s^2)"',
      'sampler: { method: weibull, args: [2, "sqrt(2)*s"] }', '',
    ].join('\n'));
    const r = await run(['fisher', file, '--at', 's=1.5', '--json']);
    expect(r.code, r.err).toBe(0);
    expect(r.json().fisher[0][0]).toBeCloseTo(4 / 2.25, 12); // Rayleigh: 4/s²
  });
});

describe('infogeo christoffel / curvature / kl', () => {
  it('christoffel normal --json is Γ[k][i][j] = Γ^k_ij', async () => {
    const j = (await run(['christoffel', 'normal', '--at', 'mu=0,sigma=2', '--json'])).json();
    // Γ^μ_μσ = −1/σ, Γ^σ_μμ = 1/(2σ), Γ^σ_σσ = −1/σ
    expect(j.christoffel).toEqual([[[0, -0.5], [-0.5, 0]], [[0.25, 0], [0, -0.5]]]);
  });
  it('christoffel --kind first and --alpha follow Γ^(α) = Γ^(0) − (α/2) T', async () => {
    const first = (await run(['christoffel', 'normal', '--at', 'mu=0,sigma=2', '--kind', 'first', '--json'])).json().christoffel;
    expect(first[0][1][0]).toBeCloseTo(-1 / 8, 14); // Γ_μσ,μ = ½ ∂σ g_μμ = −1/σ³
    const e = (await run(['christoffel', 'poisson', '--at', 'lambda=2', '--alpha', '1', '--json'])).json().christoffel;
    expect(e[0][0][0]).toBeCloseTo(-1 / 2, 12); // e-connection in λ: Γ^(1) = ∂²η/∂η'... = −1/λ
  });
  it('curvature normal --json gives scalar −1', async () => {
    const j = (await run(['curvature', 'normal', '--at', 'mu=0,sigma=2', '--json'])).json();
    expect(j.scalar).toBeCloseTo(-1, 12);
  });
  it('kl --json gives the exact KL and ½ dθᵀ F(from) dθ', async () => {
    const j = (await run(['kl', 'normal', '--from', 'mu=0,sigma=1', '--to', 'mu=0.5,sigma=2', '--json'])).json();
    expect(j.kl).toBeCloseTo(Math.log(2) + (1 + 0.25) / 8 - 0.5, 14);
    expect(j.kl_quadratic).toBeCloseTo(0.5 * (0.25 + 2), 14);
  });
});

describe('bad input exits 2 with a clear message', () => {
  it('a parameter outside its domain', async () => {
    const r = await run(['fisher', 'gamma', '--at', 'alpha=-1,beta=0.7']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/alpha = -1 must be > 0/);
    expect(r.out).toBe('');
  });
  it('a constraint violated (categorical3 p1 + p2 < 1)', async () => {
    const r = await run(['fisher', 'categorical3', '--at', 'p1=0.6,p2=0.5']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/1 - p1 - p2/);
  });
  it('missing or unknown parameters, unknown family, unknown verb', async () => {
    expect((await run(['fisher', 'gamma', '--at', 'alpha=1'])).code).toBe(2);
    expect((await run(['fisher', 'gamma', '--at', 'alpha=1,beta=1,zeta=2'])).err).toMatch(/unknown parameter 'zeta'/);
    expect((await run(['fisher', 'nosuchfamily', '--at', 'a=1'])).code).toBe(2);
    expect((await run(['nosuchverb'])).code).toBe(2);
  });
  it('an injection attempt in a family file names file, line and field', async () => {
    const r = await run(['fisher', 'test/bad-families/accessor.yaml', '--at', 'mu=0']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/accessor\.yaml:\d+:\d+ \(field logDensity\)/);
  });
});

describe('bin/infogeo-dev.js (the CLI from the sources)', () => {
  it('runs as a process, and survives a closed stdout pipe', () => {
    const r = spawnSync(process.execPath, ['bin/infogeo-dev.js', 'fisher', 'normal', '--at', 'mu=0,sigma=2', '--json'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).fisher).toEqual([[0.25, 0], [0, 0.5]]);
    const p = spawnSync('bash', ['-c', `${process.execPath} bin/infogeo-dev.js derive dirichlet3 --format latex | head -c 6`], { encoding: 'utf8' });
    expect(p.stdout).toBe('\\docum');
    expect(p.stderr).not.toMatch(/EPIPE/);
  }, 60_000);
});
