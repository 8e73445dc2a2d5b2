/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Real-browser check of the documentation site (Debian chromium driven by playwright-core):
 * every generated page loads from file://, has zero `.katex-error` elements, no console errors, no failed
 * requests (CSS and fonts are local), the KaTeX fonts actually load, every local link resolves, and a
 * screenshot is saved under test/.artifacts/screenshots/ (full page for the index, first screen otherwise).
 * The `derive --format html` page of every family is loaded at 1280 px: no KaTeX error and no horizontal
 * scrolling (the page, and every display equation within its column).
 *
 * Skipped with a message when /usr/bin/chromium is absent (install: apt-get install -y chromium),
 * or when INFOGEO_SKIP_BROWSER=1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { main } from '../../src/cli/main.js';
import { memoryIO } from '../../src/cli/io.js';
import { allFamilyFiles, writeUserFamilies } from '../helpers/userFamilies.js';

const CHROMIUM = process.env.INFOGEO_CHROMIUM ?? '/usr/bin/chromium';
const skipReason = process.env.INFOGEO_SKIP_BROWSER === '1' ? 'INFOGEO_SKIP_BROWSER=1' : !existsSync(CHROMIUM) ? `${CHROMIUM} not found (apt-get install -y chromium)` : null;
if (skipReason) console.warn(`[skip] browser test of the docs site: ${skipReason}`);

const ARTIFACTS = resolve(__dirname, '../.artifacts/screenshots');

describe.skipIf(skipReason !== null)('docs site in a real browser', () => {
  let browser: BrowserContext;
  let site: string;
  let userDir: string;
  let pages: string[] = [];
  let buildLog = '';
  /** Rendered size and polyline count of each figure, by page (filled while loading the pages). */
  const figures = new Map<string, { w: number; h: number; lines: number }[]>();

  beforeAll(async () => {
    // the playground page needs the browser bundle (dist/browser/playground.js): build dist/ when stale
    execFileSync(process.execPath, [resolve(__dirname, '../../scripts/build.mjs')], { stdio: 'pipe' });
    site = mkdtempSync(join(tmpdir(), 'infogeo-site-'));
    userDir = mkdtempSync(join(tmpdir(), 'infogeo-chromium-'));
    const io = memoryIO(resolve(__dirname, '../..'));
    const code = await main(['docs', '--out', site], io);
    buildLog = io.stderr;
    expect(code, io.stderr).toBe(0);
    pages = readdirSync(site).filter((f) => f.endsWith('.html')).sort();
    const { chromium } = await import('playwright-core');
    // playwright refuses --user-data-dir in args: a fresh profile directory goes through launchPersistentContext
    browser = await chromium.launchPersistentContext(userDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1100, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 480_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(site, { recursive: true, force: true });
    rmSync(userDir, { recursive: true, force: true });
  });

  it('builds an index, guides and one page per family', () => {
    expect(pages).toContain('index.html');
    expect(pages).toContain('playground.html');
    expect(pages.filter((p) => p.startsWith('family-')).length).toBeGreaterThanOrEqual(1);
    expect(buildLog).toMatch(/wrote \d+ pages/);
  });

  it('loads every page with no katex-error, no console error, no failed request, KaTeX fonts loaded, local links resolving', async () => {
    const ctx = browser;
    const problems: string[] = [];
    for (const p of pages) {
      const page = await ctx.newPage();
      page.on('console', (m) => { if (m.type() === 'error') problems.push(`${p}: console error: ${m.text()}`); });
      page.on('pageerror', (e) => problems.push(`${p}: page error: ${e.message}`));
      page.on('requestfailed', (r) => problems.push(`${p}: request failed: ${r.url()}`));
      const resp = await page.goto(pathToFileURL(join(site, p)).href, { waitUntil: 'load' });
      expect(resp === null || resp.ok(), p).toBe(true);
      const info = await page.evaluate(async () => {
        await document.fonts.ready;
        const faces: string[] = [];
        document.fonts.forEach((f) => { if (f.status === 'loaded') faces.push(f.family.replace(/"/g, '')); });
        return {
          errors: document.querySelectorAll('.katex-error').length,
          katex: document.querySelectorAll('.katex').length,
          figures: [...document.querySelectorAll('figure svg')].map((el) => {
            const r = el.getBoundingClientRect();
            return { w: r.width, h: r.height, lines: el.querySelectorAll('polyline').length };
          }),
          links: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href') ?? ''),
          loadedFonts: faces,
          title: document.title,
        };
      });
      figures.set(p, info.figures);
      if (info.errors) problems.push(`${p}: ${info.errors} .katex-error elements`);
      if (info.katex > 0 && !info.loadedFonts.some((f) => f.startsWith('KaTeX_'))) problems.push(`${p}: KaTeX fonts not loaded (${info.loadedFonts.join(', ')})`);
      for (const href of info.links) {
        if (/^(https?:|mailto:|#)/.test(href)) continue;
        const target = join(site, href.split('#')[0]);
        if (!existsSync(target)) problems.push(`${p}: broken link ${href}`);
      }
      if (p.startsWith('family-') && p !== 'family-mvnormal2.html' && p !== 'family-dirichlet3.html') {
        if (info.katex < 10) problems.push(`${p}: only ${info.katex} formulas`);
      }
      // full page for the index, first screen for the others (full-page captures of 20 long pages cost ~40 s)
      await page.screenshot({ path: join(ARTIFACTS, p.replace(/\.html$/, '.png')), fullPage: p === 'index.html' });
      await page.close();
    }
    expect(problems).toEqual([]);
  }, 240_000);

  it('draws the SVG figures (ellipses + geodesics, GD vs natural gradient, α-geodesics) on every 2-parameter family page', () => {
    const twoParam = pages.filter((p) => p.startsWith('family-') && readFileSync(join(site, p), 'utf8').includes('<figure id="fig-geodesics"'));
    expect(twoParam.length).toBeGreaterThanOrEqual(10);
    const withAlpha = twoParam.filter((p) => readFileSync(join(site, p), 'utf8').includes('<figure id="fig-alpha-geodesics"'));
    expect(withAlpha.length).toBeGreaterThanOrEqual(10);
    for (const p of twoParam) {
      const sizes = figures.get(p) ?? [];
      expect(sizes.length, p).toBe(withAlpha.includes(p) ? 3 : 2);
      sizes.forEach((s, k) => {
        expect(s.w, p).toBeGreaterThan(300);
        expect(s.h, p).toBeGreaterThan(200);
        // ellipses + geodesics and the descent paths have many lines; the α-geodesic figure has three (e, m, 0)
        expect(s.lines, p).toBeGreaterThanOrEqual(k < 2 ? 4 : 3);
      });
    }
  });

  it('renders the derive page of every family (built-in, examples, user families) at 1280 px: no KaTeX error, no horizontal scrolling', async () => {
    const userDir = writeUserFamilies();
    const problems: string[] = [];
    try {
      const page = await browser.newPage();
      await page.setViewportSize({ width: 1280, height: 900 });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      for (const f of allFamilyFiles(userDir)) {
        const name = basename(f).replace(/\.\w+$/, '');
        const file = join(site, `derive-all-${name}.html`);
        const io = memoryIO(resolve(__dirname, '../..'));
        expect(await main(['derive', f, '--format', 'html', '--out', file], io), io.stderr).toBe(0);
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
        const info = await page.evaluate(async () => {
          await document.fonts.ready;
          const wide = [...document.querySelectorAll('.eq')].filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => `${el.scrollWidth}>${el.clientWidth}: ${(el.textContent ?? '').slice(0, 60)}`);
          return {
            errors: document.querySelectorAll('.katex-error').length,
            katex: document.querySelectorAll('.katex').length,
            pageWidth: document.documentElement.scrollWidth,
            viewport: window.innerWidth,
            wide,
          };
        });
        if (info.errors) problems.push(`${name}: ${info.errors} .katex-error elements`);
        if (info.katex < 10) problems.push(`${name}: only ${info.katex} formulas`);
        if (info.pageWidth > info.viewport) problems.push(`${name}: page scrolls horizontally (${info.pageWidth} > ${info.viewport} px)`);
        for (const w of info.wide) problems.push(`${name}: equation wider than the column (${w})`);
        if (['cauchy', 'student5', 'mvnormal2', 'dirichlet3', 'rice'].includes(name)) {
          await page.screenshot({ path: join(ARTIFACTS, `derive-1280-${name}.png`), fullPage: true });
        }
      }
      await page.close();
    } finally {
      rmSync(userDir, { recursive: true, force: true });
    }
    expect(problems).toEqual([]);
  }, 480_000);

  it('renders the self-contained page of `infogeo derive vonmises --format html` with its inlined fonts', async () => {
    const io = memoryIO(resolve(__dirname, '../..'));
    const file = join(site, 'derive-vonmises.html');
    expect(await main(['derive', 'vonmises', '--format', 'html', '--out', file], io), io.stderr).toBe(0);
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const info = await page.evaluate(async () => {
      await document.fonts.ready;
      const loaded: string[] = [];
      document.fonts.forEach((f) => { if (f.status === 'loaded') loaded.push(f.family.replace(/"/g, '')); });
      return { errors: document.querySelectorAll('.katex-error').length, katex: document.querySelectorAll('.katex').length, loaded };
    });
    await page.screenshot({ path: join(ARTIFACTS, 'derive-vonmises.png') });
    await page.close();
    expect(problems).toEqual([]);
    expect(info.errors).toBe(0);
    expect(info.katex).toBeGreaterThan(20);
    expect(info.loaded.some((f) => f.startsWith('KaTeX_'))).toBe(true);
  }, 60_000);
});
