/// <reference lib="dom" />
/**
 * The browser bundle in a real browser (Debian chromium driven by playwright-core):
 *  - a page served from a loopback HTTP server imports dist/browser/infogeo.js as an ES module, declares the
 *    normal family from a YAML string, shows its Fisher metric (checked against diag(1/σ², 2/σ²)) and renders
 *    the KaTeX derivation (KaTeX CSS and fonts served locally; no .katex-error, no console error);
 *  - the docs site's playground page, opened from file://, derives the pre-selected family, and after a family
 *    file is pasted into the text area shows that family's metric, a geodesic figure and the derivation.
 * Builds dist/ first when stale (scripts/build.mjs). Skipped with a message when /usr/bin/chromium is absent
 * (install: apt-get install -y chromium), or when INFOGEO_SKIP_BROWSER=1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';

const ROOT = resolve(__dirname, '../..');
const CHROMIUM = process.env.INFOGEO_CHROMIUM ?? '/usr/bin/chromium';
const skipReason = process.env.INFOGEO_SKIP_BROWSER === '1' ? 'INFOGEO_SKIP_BROWSER=1' : !existsSync(CHROMIUM) ? `${CHROMIUM} not found (apt-get install -y chromium)` : null;
if (skipReason) console.warn(`[skip] browser bundle test: ${skipReason}`);

const NORMAL_YAML = `name: normal_browser
title: Normal distribution declared in the browser
params:
  - { name: mu, domain: real, tex: '\\mu' }
  - { name: sigma, domain: positive, tex: '\\sigma' }
variables: [x]
support: real
logDensity: "-log(sigma) - (x - mu)^2/(2*sigma^2) - log(2*pi)/2"
`;

const PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>infogeo bundle</title>
<link rel="stylesheet" href="katex/katex.min.css"></head>
<body>
<textarea id="src">${NORMAL_YAML}</textarea>
<pre id="metric"></pre><div id="derivation"></div>
<script type="module">
import { declareFamily, deriveFamily, compileFamily, derivationDocument, renderHtmlFragment } from './infogeo.js';
try {
  const spec = declareFamily(document.getElementById('src').value, 'browser.yaml');
  const derivation = deriveFamily(spec);
  const fam = compileFamily(derivation);
  document.getElementById('metric').textContent = JSON.stringify(Array.from(fam.fisher([0.3, 2])));
  document.getElementById('derivation').innerHTML = renderHtmlFragment(derivationDocument(derivation));
} catch (e) {
  document.getElementById('metric').textContent = 'error: ' + e.message;
}
window.__done = true;
</script>
</body></html>`;

function katexDir(): string {
  return dirname(createRequire(import.meta.url).resolve('katex/dist/katex.min.css'));
}

describe.skipIf(skipReason !== null)('browser bundle in a real browser', () => {
  let browser: BrowserContext;
  let server: Server;
  let base = '';
  let userDir = '';
  let site = '';

  beforeAll(async () => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'pipe' });
    const bundle = readFileSync(join(ROOT, 'dist/browser/infogeo.js'));
    const kdir = katexDir();
    server = createServer((req, res) => {
      const url = (req.url ?? '/').split('?')[0];
      const send = (type: string, body: string | Buffer) => {
        res.writeHead(200, { 'content-type': type });
        res.end(body);
      };
      if (url === '/') return send('text/html; charset=utf-8', PAGE);
      if (url === '/favicon.ico') return void (res.writeHead(204), res.end());
      if (url === '/infogeo.js') return send('text/javascript; charset=utf-8', bundle);
      if (url === '/katex/katex.min.css') return send('text/css', readFileSync(join(kdir, 'katex.min.css')));
      const font = /^\/katex\/fonts\/([\w-]+\.(woff2|woff|ttf))$/.exec(url);
      if (font) return send(`font/${font[2]}`, readFileSync(join(kdir, 'fonts', font[1])));
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const addr = server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`;

    // a small docs site (two families) for the playground page
    site = mkdtempSync(join(tmpdir(), 'infogeo-playground-'));
    const fams = join(site, 'families-in');
    mkdirSync(fams);
    for (const f of ['gamma.yaml', 'normal.yaml']) copyFileSync(join(ROOT, 'families', f), join(fams, f));
    const io = memoryIO(ROOT);
    expect(await main(['docs', '--out', join(site, 'out'), '--families', fams], io), io.stderr).toBe(0);

    userDir = mkdtempSync(join(tmpdir(), 'infogeo-chromium-'));
    const { chromium } = await import('playwright-core');
    browser = await chromium.launchPersistentContext(userDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    for (const d of [userDir, site]) if (d) rmSync(d, { recursive: true, force: true });
  });

  function watch(page: Page): string[] {
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    return problems;
  }

  it('imports the ESM bundle, declares a family from YAML text, shows its Fisher metric and a KaTeX derivation', async () => {
    const page = await browser.newPage();
    const problems = watch(page);
    await page.goto(base, { waitUntil: 'load' });
    await page.waitForFunction(() => (window as unknown as { __done?: boolean }).__done === true, undefined, { timeout: 60_000 });
    const info = await page.evaluate(async () => {
      await document.fonts.ready;
      const fonts: string[] = [];
      document.fonts.forEach((f) => { if (f.status === 'loaded') fonts.push(f.family.replace(/"/g, '')); });
      return {
        metric: document.getElementById('metric')!.textContent ?? '',
        katex: document.querySelectorAll('#derivation .katex').length,
        errors: document.querySelectorAll('.katex-error').length,
        fonts,
      };
    });
    await page.close();
    expect(problems).toEqual([]);
    const g = JSON.parse(info.metric) as number[];
    // normal(μ, σ): g = diag(1/σ², 2/σ²) at σ = 2
    expect(g[0]).toBeCloseTo(0.25, 14);
    expect(g[1]).toBeCloseTo(0, 12); // no expfam block: the off-diagonal comes from quadrature
    expect(g[2]).toBeCloseTo(0, 12);
    expect(g[3]).toBeCloseTo(0.5, 14);
    expect(info.katex).toBeGreaterThan(10);
    expect(info.errors).toBe(0);
    expect(info.fonts.some((f) => f.startsWith('KaTeX_'))).toBe(true);
  }, 120_000);

  it('the docs playground (file://) derives a pasted family file: metric, geodesic figure, derivation', async () => {
    const page = await browser.newPage();
    const problems = watch(page);
    await page.goto(pathToFileURL(join(site, 'out/playground.html')).href, { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelector('#pg-metric table') !== null || (document.getElementById('pg-error')?.textContent ?? '') !== '', undefined, { timeout: 60_000 });
    const first = await page.evaluate(() => ({
      family: (document.getElementById('pg-family') as HTMLSelectElement).value,
      error: document.getElementById('pg-error')!.textContent,
      cells: [...document.querySelectorAll('#pg-metric td')].map((td) => Number(td.textContent)),
      point: (document.getElementById('pg-point') as HTMLInputElement).value,
    }));
    expect(first.error).toBe('');
    expect(first.family).toBe('gamma');
    expect(first.point).toBe('alpha=1,beta=1');
    // gamma at α = β = 1: [[ψ₁(1), −1/β], [−1/β, α/β²]] = [[π²/6, −1], [−1, 1]]
    expect(first.cells[0]).toBeCloseTo(Math.PI ** 2 / 6, 9);
    expect(first.cells.slice(1)).toEqual([-1, -1, 1]);

    await page.fill('#pg-source', NORMAL_YAML);
    await page.fill('#pg-point', 'mu=0.3,sigma=0.5');
    await page.click('#pg-run');
    await page.waitForFunction(() => document.querySelectorAll('#pg-metric th').length === 5 && document.querySelector('#pg-metric th:nth-child(2)')?.textContent === 'mu');
    const second = await page.evaluate(async () => {
      await document.fonts.ready;
      return {
        error: document.getElementById('pg-error')!.textContent,
        cells: [...document.querySelectorAll('#pg-metric td')].map((td) => Number(td.textContent)),
        polylines: document.querySelectorAll('#pg-plot svg polyline').length,
        katex: document.querySelectorAll('#pg-derivation .katex').length,
        katexErrors: document.querySelectorAll('.katex-error').length,
        title: document.querySelector('#pg-derivation h3, #pg-derivation h2')?.textContent ?? '',
      };
    });
    expect(second.error).toBe('');
    // diag(1/σ², 2/σ²) at σ = 0.5 (the off-diagonal by quadrature: zero to rounding)
    expect(second.cells[0]).toBeCloseTo(4, 12);
    expect(second.cells[1]).toBeCloseTo(0, 12);
    expect(second.cells[2]).toBeCloseTo(0, 12);
    expect(second.cells[3]).toBeCloseTo(8, 12);
    expect(second.polylines).toBeGreaterThan(3);
    expect(second.katex).toBeGreaterThan(10);
    expect(second.katexErrors).toBe(0);

    // a bad file gives one clear message naming the line, and no stale output
    await page.fill('#pg-source', NORMAL_YAML.replace('log(2*pi)/2', 'log(2*pi)/2 + foo(x)'));
    await page.click('#pg-run');
    await page.waitForFunction(() => (document.getElementById('pg-error')?.textContent ?? '') !== '');
    const third = await page.evaluate(() => ({ error: document.getElementById('pg-error')!.textContent ?? '', metric: document.getElementById('pg-metric')!.innerHTML }));
    expect(third.error).toMatch(/playground\.yaml:\d+.*foo/s);
    expect(third.metric).toBe('');
    await page.screenshot({ path: join(ROOT, 'test/.artifacts/screenshots/playground.png') }).catch(() => undefined);
    await page.close();
    expect(problems).toEqual([]);
  }, 120_000);
});
