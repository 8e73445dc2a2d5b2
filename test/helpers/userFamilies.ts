/**
 * Family files for the whole-catalogue report tests: built-in (families/), examples (examples/families/, when
 * present), user-family fixtures (test/fixtures/user-families/) and a few user families written by hand, as a new
 * user would (logistic, log-logistic, Rice, Rayleigh, a 3-parameter Student t), put in a temporary folder by {@link writeUserFamilies}.
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/** User families written by hand, as a new user would (not shipped). */
export const USER_FAMILIES: Record<string, string> = {
  logistic2: `name: logistic2
title: Logistic (location mu, scale s)
params:
  - { name: mu, domain: real }
  - { name: s, domain: positive }
variables: [x]
support: real
logDensity: "-log(s) - (x-mu)/s - 2*log(1+exp(-(x-mu)/s))"
notes: "Density e^(-(x-mu)/s) / (s (1 + e^(-(x-mu)/s))^2)."
`,
  loglogistic: `name: loglogistic
title: Log-logistic (scale a, shape b)
params:
  - { name: a, domain: positive }
  - { name: b, domain: positive }
variables: [x]
support: positive
logDensity: "log(b) - log(a) + (b-1)*(log(x) - log(a)) - 2*log(1 + (x/a)^b)"
`,
  rice: `name: rice
title: Rice distribution (distance ν, scale σ)
params:
  - { name: nu, domain: positive, tex: '\\nu' }
  - { name: sigma, domain: positive, tex: '\\sigma' }
variables: [x]
support: positive
logDensity: "log(x) - 2*log(sigma) - (x^2 + nu^2)/(2*sigma^2) + logbesseli0(x*nu/sigma^2)"
notes: "Density x/σ^2 exp(-(x^2+ν^2)/(2σ^2)) I₀(xν/σ^2)."
`,
  studentls: `name: studentls
title: Student t with location m, scale s and degrees of freedom ν
params:
  - { name: m, domain: real }
  - { name: s, domain: positive }
  - { name: nu, domain: positive, tex: '\\nu' }
variables: [x]
support: real
logDensity: "lgamma((nu+1)/2) - lgamma(nu/2) - 0.5*log(nu*pi) - log(s) - (nu+1)/2*log(1 + ((x-m)/s)^2/nu)"
`,
  rayleigh: `name: rayleigh
title: Rayleigh (scale σ)
params:
  - { name: sigma, domain: positive, tex: '\\sigma' }
variables: [x]
support: positive
logDensity: "log(x) - 2*log(sigma) - x^2/(2*sigma^2)"
`,
};

/** Writes {@link USER_FAMILIES} to a fresh temporary folder and returns it (the caller removes it). */
export function writeUserFamilies(): string {
  const dir = mkdtempSync(join(tmpdir(), 'infogeo-userfam-'));
  for (const [k, v] of Object.entries(USER_FAMILIES)) writeFileSync(join(dir, `${k}.yaml`), v);
  return dir;
}

const yamlIn = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort().map((f) => join(dir, f)) : []);

/** Absolute paths of every family file of the catalogue tests (userDir: from {@link writeUserFamilies}). */
export function allFamilyFiles(userDir?: string): string[] {
  return [...yamlIn(join(ROOT, 'families')), ...yamlIn(join(ROOT, 'examples/families')), ...yamlIn(join(ROOT, 'test/fixtures/user-families')), ...(userDir ? yamlIn(userDir) : [])];
}
