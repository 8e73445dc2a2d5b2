/**
 * The SVG figures of a family page: for 2-parameter families, Fisher ellipses with a fan of geodesics, and
 * gradient descent vs natural gradient on θ ↦ KL(p_target ‖ p_θ); for 1-parameter families, g(θ) over a range.
 * Windows and reference points are chosen from the parameter domains (real: [−2, 2] around 0,
 * positive: [0.3, 3] around 1.5, unit: [0.05, 0.95] around 0.4) and moved inside the domain when a constraint
 * excludes them.
 */
import type { Metric } from '../../core/types.js';
import type { ParamSpec } from '../../declare/types.js';
import { svgPlot, type PlotSeries, type Point } from '../svgPlot.js';
import type { CompiledFamily } from '../../core/types.js';
import { alphaGeodesicFigure } from './dualPlots.js';
import { descentPaths, fisherEllipseField, geodesicFan, symmetricEigen2, type Window } from './manifoldPlots.js';

/** What the figures need from a compiled family (CompiledFamily satisfies it). */
export interface PlotFamily extends Metric {
  readonly paramNames: readonly string[];
  kl(from: ArrayLike<number>, to: ArrayLike<number>): number;
  /** When present (a CompiledFamily), the page also shows α-geodesics. */
  alphaChristoffel?: CompiledFamily['alphaChristoffel'];
}

export interface Figure {
  readonly id: string;
  readonly svg: string;
  /** Caption (plain text with inline `$…$`). */
  readonly caption: string;
}

function range(p: ParamSpec): [number, number, number] {
  if (p.domain === 'positive') return [0.3, 3, 1.5];
  if (p.domain === 'unit') return [0.05, 0.95, 0.4];
  return [-2, 2, 0];
}

/** Plot window and a reference point inside the domain (null when none of the candidates is admissible). */
export function plotFrame(params: readonly ParamSpec[], m: Metric): { win: Window; center: [number, number] } | null {
  const [x0, x1, cx] = range(params[0]);
  const [y0, y1, cy] = range(params[1]);
  const win: Window = { x: [x0, x1], y: [y0, y1] };
  const cands: [number, number][] = [[cx, cy]];
  for (const fx of [0.3, 0.5, 0.2, 0.4]) for (const fy of [0.3, 0.5, 0.2, 0.4]) cands.push([x0 + fx * (x1 - x0), y0 + fy * (y1 - y0)]);
  const center = cands.find((c) => m.checkPoint(c) === null);
  return center ? { win, center } : null;
}

function label(p: ParamSpec): string {
  return p.name;
}

export function familyFigures(params: readonly ParamSpec[], fam: PlotFamily): Figure[] {
  if (fam.dim === 1) return [fisherCurve(params[0], fam)];
  if (fam.dim !== 2) return [];
  const frame = plotFrame(params, fam);
  if (!frame) return [];
  const { win, center } = frame;
  const figs: Figure[] = [];
  const w = win.x[1] - win.x[0];
  const h = win.y[1] - win.y[0];

  // 1. Fisher ellipses + geodesic fan
  const field = fisherEllipseField(fam, win, 6, 0.8);
  const g0 = fam.fisher(center);
  const det = g0[0] * g0[3] - g0[1] * g0[2];
  const ex = Math.sqrt(g0[3] / det);
  const ey = Math.sqrt(g0[0] / det);
  const length = Math.min((0.4 * w) / ex, (0.4 * h) / ey);
  const fan = geodesicFan(fam, center, length, 12, 60);
  const series: PlotSeries[] = [
    { name: 'Fisher ellipses δᵀg(θ)δ = r²', points: field.points, color: '#999999' },
    { name: `geodesics from θ₀, length ${length.toPrecision(3)}`, points: fan.points, color: '#0072B2' },
    { name: 'θ₀', points: [center], kind: 'scatter', color: '#D55E00' },
  ];
  figs.push({
    id: 'geodesics',
    svg: svgPlot(series, { title: 'Fisher ellipses and geodesics', xLabel: label(params[0]), yLabel: label(params[1]), xDomain: win.x, yDomain: win.y, width: 640, height: 440 }),
    caption: `Grey: Fisher ellipses $\\{\\theta + \\delta : \\delta^\\top g(\\theta)\\,\\delta = r^2\\}$ with one common $r = ${field.radius.toPrecision(3)}$ (equal Fisher–Rao size, so their extent shows how the metric varies). Blue: 12 geodesics from $\\theta_0 = (${center.map((v) => +v.toPrecision(4)).join(', ')})$ with unit Fisher speed, integrated to Fisher–Rao length ${length.toPrecision(3)} (or until they leave the domain).`,
  });

  // 2. gradient descent vs natural gradient on KL(p_target ‖ p_θ)
  const at = (fx: number, fy: number): [number, number] => [win.x[0] + fx * w, win.y[0] + fy * h];
  const targets = [at(0.7, 0.35), at(0.55, 0.3), at(0.35, 0.2), at(0.25, 0.55)];
  const starts = [at(0.2, 0.8), at(0.1, 0.55), at(0.7, 0.1), at(0.12, 0.12)];
  const ok = (p: [number, number]) => fam.checkPoint(p) === null;
  const pair = targets.flatMap((t) => starts.map((s0) => [t, s0] as const)).find(([t, s0]) => ok(t) && ok(s0) && Math.hypot((t[0] - s0[0]) / w, (t[1] - s0[1]) / h) > 0.3);
  if (pair) {
    const [target, start] = pair;
    const f = (t: Float64Array) => fam.kl(target, t);
    const eta = 0.3;
    const gt = fam.fisher(target);
    const lmax = symmetricEigen2(gt[0], gt[1], gt[3]).values[1];
    const ng = descentPaths(fam, f, start, { steps: 40, lr: eta });
    const gd = descentPaths(fam, f, start, { steps: 40, lr: eta / lmax });
    const contour = fisherEllipseField(fam, win, 6, 0.8);
    const fmt = (v: number | undefined) => (v === undefined ? 'n/a' : v.toExponential(2));
    figs.push({
      id: 'descent',
      svg: svgPlot(
        [
          { name: 'Fisher ellipses', points: contour.points, color: '#dddddd' },
          { name: 'gradient descent', points: gd.gradient, kind: 'both', color: '#D55E00' },
          { name: 'natural gradient', points: ng.natural, kind: 'both', color: '#009E73' },
          { name: 'target', points: [target], kind: 'scatter', color: '#000000' },
        ],
        { title: 'Minimising KL(p_target ‖ p_θ): 40 steps each', xLabel: label(params[0]), yLabel: label(params[1]), xDomain: win.x, yDomain: win.y, width: 640, height: 440 },
      ),
      caption: `Objective $f(\\theta) = \\mathrm{KL}(p_{\\theta^*} \\,\\|\\, p_\\theta)$ with $\\theta^* = (${target.map((v) => +v.toPrecision(4)).join(', ')})$, gradient by central differences, 40 steps from $(${start.map((v) => +v.toPrecision(4)).join(', ')})$. Natural gradient $\\theta \\leftarrow \\theta - \\eta\\, g(\\theta)^{-1}\\nabla f$ with $\\eta = ${eta}$; gradient descent $\\theta \\leftarrow \\theta - \\eta'\\nabla f$ with $\\eta' = \\eta/\\lambda_{\\max}(g(\\theta^*)) = ${(eta / lmax).toPrecision(3)}$ (the largest stable step near the optimum). Final objective: natural gradient ${fmt(ng.naturalValues.at(-1))}, gradient descent ${fmt(gd.gradientValues.at(-1))}.`,
    });
  }

  // 3. α-geodesics (e, m and Levi-Civita) between two points
  if (fam.alphaChristoffel) {
    const fig = alphaGeodesicFigure({ ...fam, alphaChristoffel: fam.alphaChristoffel }, win, [label(params[0]), label(params[1])]);
    if (fig) figs.push(fig);
  }
  return figs;
}

function fisherCurve(p: ParamSpec, fam: PlotFamily): Figure {
  const [a, b] = range(p);
  const pts: Point[] = [];
  for (let i = 0; i <= 200; i++) {
    const t = a + ((b - a) * i) / 200;
    pts.push([t, fam.checkPoint([t]) === null ? fam.fisher([t])[0] : NaN]);
  }
  return {
    id: 'fisher-curve',
    svg: svgPlot([{ name: `g(${p.name})`, points: pts }], { title: 'Fisher information', xLabel: p.name, yLabel: 'g', logY: true, width: 640, height: 400 }),
    caption: `Fisher information $g(\\theta)$ of one observation over the parameter range (log scale). The Fisher–Rao distance is $\\int \\sqrt{g(\\theta)}\\, d\\theta$.`,
  };
}
