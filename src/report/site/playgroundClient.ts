/// <reference lib="dom" />
/**
 * Script of the playground page (built by scripts/build.mjs into dist/browser/playground.js, one classic
 * script with the browser API inlined, so that the page also works from file://, where Chromium refuses ES
 * modules). Reads the family file from the text area, then declare → derive → compile → report in the page.
 */
import { compileFamily, declareFamily, derivationDocument, deriveFamily, familyFigures, renderHtmlFragment } from '../../browser.js';
import type { CompiledFamily } from '../../core/types.js';
import type { FamilySpec } from '../../declare/types.js';
import { escapeHtml } from '../derivation/renderHtmlFragment.js';
import type { PlaygroundFamily } from './playground.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** A point inside the domain: 1 for positive, 0.4 for unit, 0.5 for real parameters, shrunk until accepted. */
function defaultPoint(spec: FamilySpec, fam: CompiledFamily): Float64Array {
  const base = spec.params.map((p) => (p.domain === 'positive' ? 1 : p.domain === 'unit' ? 0.3 : 0.5));
  for (let s = 1; s > 1e-3; s /= 2) {
    const theta = Float64Array.from(base, (v, i) => (spec.params[i].domain === 'positive' ? v : v * s));
    if (fam.checkPoint(theta) === null) return theta;
  }
  return Float64Array.from(base);
}

function parsePoint(text: string, names: readonly string[]): Float64Array {
  const theta = new Float64Array(names.length).fill(NaN);
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([A-Za-z_]\w*)\s*=\s*(\S+)$/.exec(part);
    const i = m ? names.indexOf(m[1]) : -1;
    if (!m || i < 0 || !Number.isFinite(Number(m[2]))) throw new Error(`point: cannot read "${part}" (expected name=value with a name among ${names.join(', ')})`);
    theta[i] = Number(m[2]);
  }
  const missing = names.filter((_, i) => Number.isNaN(theta[i]));
  if (missing.length) throw new Error(`point: missing ${missing.join(', ')}`);
  return theta;
}

const fmt = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(10))) : String(v));

function run(): void {
  const error = $<HTMLDivElement>('pg-error');
  const status = $<HTMLSpanElement>('pg-status');
  error.textContent = '';
  for (const id of ['pg-metric', 'pg-plot', 'pg-derivation']) $(id).innerHTML = '';
  try {
    const t0 = performance.now();
    const spec = declareFamily($<HTMLTextAreaElement>('pg-source').value, 'playground.yaml');
    const derivation = deriveFamily(spec);
    const fam = compileFamily(derivation);
    const pointInput = $<HTMLInputElement>('pg-point');
    if (!pointInput.value.trim()) pointInput.value = spec.params.map((p, i) => `${p.name}=${fmt(defaultPoint(spec, fam)[i])}`).join(',');
    const theta = parsePoint(pointInput.value, fam.paramNames);
    const problem = fam.checkPoint(theta);
    if (problem) throw new Error(`point is outside the domain: ${problem}`);
    const g = fam.fisher(theta);
    const n = fam.dim;
    const head = `<tr><th></th>${fam.paramNames.map((p) => `<th>${escapeHtml(p)}</th>`).join('')}</tr>`;
    const rows = fam.paramNames.map((p, i) => `<tr><th>${escapeHtml(p)}</th>${fam.paramNames.map((_, j) => `<td>${fmt(g[i * n + j])}</td>`).join('')}</tr>`);
    $('pg-metric').innerHTML = `<table class="metric">${head}${rows.join('')}</table><p>method: ${escapeHtml(fam.methods.fisher ?? 'closed-form')}</p>`;
    const figs = familyFigures(spec.params, fam);
    const fig = figs.find((f) => f.id === 'geodesics') ?? figs[0];
    $('pg-plot').innerHTML = fig
      ? `<figure>${fig.svg.replace(/^<\?xml[^>]*>\s*/, '')}<figcaption>${escapeHtml(fig.caption)}</figcaption></figure>`
      : `<p>No figure for ${n} parameters (figures are drawn for 1 and 2 parameters).</p>`;
    $('pg-derivation').innerHTML = renderHtmlFragment(derivationDocument(derivation), { headingLevel: 3 });
    status.textContent = `done in ${Math.round(performance.now() - t0)} ms`;
  } catch (e) {
    status.textContent = '';
    error.textContent = (e as Error).message;
  }
}

function start(): void {
  const families = JSON.parse($('pg-families').textContent ?? '[]') as PlaygroundFamily[];
  const picker = $<HTMLSelectElement>('pg-family');
  picker.addEventListener('change', () => {
    const f = families.find((x) => x.name === picker.value);
    if (!f) return;
    $<HTMLTextAreaElement>('pg-source').value = f.text;
    $<HTMLInputElement>('pg-point').value = '';
    run();
  });
  $('pg-run').addEventListener('click', run);
  run();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
