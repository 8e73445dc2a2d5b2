/**
 * Dual-geometry figure of a 2-parameter family page: the α-geodesics (α = −1, 0, +1: mixture,
 * Levi-Civita, exponential connection) between the same two points, found by shooting with each
 * connection's Christoffel symbols (src/solve/geodesic). They differ exactly where the
 * Amari–Chentsov tensor is large.
 */
import type { Metric } from '../../core/types.js';
import { alphaConnection, type AlphaFamily } from '../../solve/geodesic/alphaConnection.js';
import { expMap } from '../../solve/geodesic/expMap.js';
import { logMap } from '../../solve/geodesic/logMap.js';
import { svgPlot, type PlotSeries, type Point } from '../svgPlot.js';
import type { Window } from './manifoldPlots.js';

export interface DualFigure {
  readonly id: string;
  readonly svg: string;
  readonly caption: string;
}

/** The α-geodesic figure, or null when a shooting problem fails (the figure is then left out). */
export function alphaGeodesicFigure(fam: AlphaFamily, win: Window, names: readonly [string, string]): DualFigure | null {
  const w = win.x[1] - win.x[0];
  const h = win.y[1] - win.y[0];
  const cands: [[number, number], [number, number]][] = [
    [[win.x[0] + 0.2 * w, win.y[0] + 0.25 * h], [win.x[0] + 0.8 * w, win.y[0] + 0.7 * h]],
    [[win.x[0] + 0.3 * w, win.y[0] + 0.3 * h], [win.x[0] + 0.7 * w, win.y[0] + 0.6 * h]],
  ];
  const pair = cands.find(([a, b]) => fam.checkPoint(a) === null && fam.checkPoint(b) === null);
  if (!pair) return null;
  const [a, b] = pair;
  const series: PlotSeries[] = [];
  const styles: [number, string, string, string | undefined][] = [
    [-1, 'm-geodesic (α = −1)', '#D55E00', '6 3'],
    [0, 'Fisher–Rao geodesic (α = 0)', '#0072B2', undefined],
    [1, 'e-geodesic (α = +1)', '#009E73', '2 3'],
  ];
  for (const [alpha, name, color, dash] of styles) {
    const m: Metric = alphaConnection(fam, alpha);
    const v = logMap(m, a, b);
    if (!v.converged) return null;
    const e = expMap(m, a, v.value, { samples: 60 });
    if (!e.converged || !e.path) return null;
    series.push({ name, points: e.path.theta.map((t) => [t[0], t[1]] as Point), color, dash });
  }
  series.push({ name: 'end points', points: [a, b], kind: 'scatter', color: '#000000' });
  return {
    id: 'alpha-geodesics',
    svg: svgPlot(series, { title: 'α-geodesics between two points', xLabel: names[0], yLabel: names[1], xDomain: win.x, yDomain: win.y, width: 640, height: 440 }),
    caption: `Geodesics of the α-connections $\\Gamma^{(\\alpha)}_{ij,k} = \\Gamma_{ij,k} - \\tfrac{\\alpha}{2} T_{ijk}$ from $(${a.map((v) => +v.toPrecision(4)).join(', ')})$ to $(${b.map((v) => +v.toPrecision(4)).join(', ')})$, each found by shooting with its own connection. For an exponential family the e-geodesic is a straight line in the natural parameters and the m-geodesic a straight line in the expectation parameters.`,
  };
}
