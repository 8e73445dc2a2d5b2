import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FamilyError, UsageError } from '../../src/core/errors.js';
import { FAMILIES_DIR, clearFamilyCache, isFamilyPath, listFamilies, loadFamily, resolveFamilyPath } from '../../src/node/loadFamily.js';

const CONTRACT_ORDER: Readonly<Record<string, string[]>> = {
  bernoulli: ['p'],
  binomial10: ['p'],
  categorical3: ['p1', 'p2'],
  geometric: ['p'],
  poisson: ['lambda'],
  negbinomial5: ['p'],
  exponential: ['lambda'],
  normal: ['mu', 'sigma'],
  normal_logsigma: ['mu', 's'],
  lognormal: ['mu', 'sigma'],
  gamma: ['alpha', 'beta'],
  beta: ['a', 'b'],
  weibull: ['k', 'lambda'],
  laplace: ['mu', 'b'],
  cauchy: ['x0', 'gamma'],
  student5: ['mu', 'sigma'],
  vonmises: ['mu', 'kappa'],
  inversegaussian: ['mu', 'lambda'],
  dirichlet3: ['a1', 'a2', 'a3'],
  mvnormal2: ['mu1', 'mu2', 's11', 's12', 's22'],
};

const tmp = mkdtempSync(join(tmpdir(), 'infogeo-declare-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('loadFamily resolves names and paths', () => {
  it('lists the 20 contract families, sorted, each loading with the contract parameter order', () => {
    expect(listFamilies()).toEqual(Object.keys(CONTRACT_ORDER).sort());
    for (const [name, params] of Object.entries(CONTRACT_ORDER)) {
      const s = loadFamily(name);
      expect(s.name).toBe(name);
      expect(s.params.map((p) => p.name)).toEqual(params);
      expect(s.file).toBe(join(FAMILIES_DIR, `${name}.yaml`));
      expect(s.title.length).toBeGreaterThan(0);
      expect(s.sampler).not.toBeNull();
    }
  });

  it('tells names from paths', () => {
    expect(isFamilyPath('gamma')).toBe(false);
    expect(isFamilyPath('normal_logsigma')).toBe(false);
    expect(isFamilyPath('./gamma')).toBe(true);
    expect(isFamilyPath('my.yaml')).toBe(true);
    expect(isFamilyPath('my.yml')).toBe(true);
    expect(isFamilyPath('dir\\f')).toBe(true);
    expect(resolveFamilyPath('gamma')).toBe(resolve(FAMILIES_DIR, 'gamma.yaml'));
    expect(resolveFamilyPath('sub/f.yaml', { cwd: '/base' })).toBe('/base/sub/f.yaml');
  });

  it('loads a file by a path relative to cwd, and by the built-in path with the same result', () => {
    const text = readFileSync(join(FAMILIES_DIR, 'gamma.yaml'), 'utf8').replace('name: gamma', 'name: mygamma');
    writeFileSync(join(tmp, 'mygamma.yaml'), text);
    const s = loadFamily('mygamma.yaml', { cwd: tmp });
    expect(s.name).toBe('mygamma');
    expect(s.file).toBe(join(tmp, 'mygamma.yaml'));
    expect(s.logDensity.toString()).toBe(loadFamily('gamma').logDensity.toString());
    expect(loadFamily(join(FAMILIES_DIR, 'gamma.yaml'))).toBe(loadFamily('gamma'));
  });

  it('caches by path and reloads when the file changes', () => {
    const f = join(tmp, 'cached.yaml');
    const base = readFileSync(join(FAMILIES_DIR, 'exponential.yaml'), 'utf8').replace('name: exponential', 'name: cached');
    writeFileSync(f, base);
    const a = loadFamily(f);
    expect(loadFamily(f)).toBe(a);
    writeFileSync(f, base.replace('title: Exponential distribution (rate λ)', 'title: Changed title, longer'));
    utimesSync(f, new Date(), new Date(Date.now() + 5000));
    const b = loadFamily(f);
    expect(b).not.toBe(a);
    expect(b.title).toBe('Changed title, longer');
    clearFamilyCache();
    expect(loadFamily(f)).not.toBe(b);
  });

  it('rejects an unknown name with a UsageError listing the built-in families', () => {
    expect(() => loadFamily('gauss')).toThrow(UsageError);
    expect(() => loadFamily('gauss')).toThrow(/unknown family "gauss"; built-in families: bernoulli, beta, /);
  });

  it('rejects a missing file with a UsageError naming it', () => {
    expect(() => loadFamily('nope.yaml', { cwd: tmp })).toThrow(UsageError);
    expect(() => loadFamily('nope.yaml', { cwd: tmp })).toThrow(join(tmp, 'nope.yaml'));
  });

  it('rejects an invalid file with a FamilyError and does not cache it', () => {
    const f = join(tmp, 'broken.yaml');
    writeFileSync(f, 'name: broken\ntitle: x\nparams: []\nvariables: [x]\nsupport: real\nlogDensity: "x"\n');
    expect(() => loadFamily(f)).toThrow(FamilyError);
    expect(() => loadFamily(f)).toThrow(`${f}:3:9 (field params): a family needs at least one parameter`);
  });
});
