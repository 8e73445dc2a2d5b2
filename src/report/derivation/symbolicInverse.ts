/**
 * Display form of the inverse metric g^{-1} for the derivation report, built without simplification:
 * the matrix is split into independent blocks (connected components of its non-zero pattern); 1×1 blocks
 * invert to 1/g_ii, blocks of size 2 or 3 to adj(B)/det(B) by cofactors. Blocks larger than 3 are left
 * out (`complete: false`). Index order: entry [i][j] = g^{ij}, parameters in the family file order.
 */
import type { MathNode } from 'mathjs';
import { nodes } from './nodes.js';

export interface InverseBlock {
  /** Parameter indices of the block, ascending. */
  readonly indices: readonly number[];
  /** det of the block (null for 1×1 blocks). */
  readonly det: MathNode | null;
  /** Adjugate of the block, local indices (for 1×1 blocks: [[1]]). */
  readonly adjugate: readonly (readonly MathNode[])[];
}

export interface SymbolicInverse {
  readonly blocks: readonly InverseBlock[];
  /** g^{ij} for every pair covered by an invertible block, zero across blocks; null where not available. */
  readonly inverse: readonly (readonly (MathNode | null)[])[];
  /** true when every block was inverted. */
  readonly complete: boolean;
}

function components(g: readonly (readonly MathNode[])[]): number[][] {
  const n = g.length;
  const seen = new Array<boolean>(n).fill(false);
  const out: number[][] = [];
  for (let s = 0; s < n; s++) {
    if (seen[s]) continue;
    const stack = [s];
    const comp: number[] = [];
    seen[s] = true;
    while (stack.length) {
      const i = stack.pop()!;
      comp.push(i);
      for (let j = 0; j < n; j++) {
        if (!seen[j] && (!nodes.isZero(g[i][j]) || !nodes.isZero(g[j][i]))) {
          seen[j] = true;
          stack.push(j);
        }
      }
    }
    out.push(comp.sort((a, b) => a - b));
  }
  return out;
}

/** Determinant by cofactor expansion along the first row (sizes 1–3). */
export function symbolicDet(m: readonly (readonly MathNode[])[]): MathNode {
  const n = m.length;
  if (n === 1) return m[0][0];
  if (n === 2) return nodes.sub(nodes.mul(m[0][0], m[1][1]), nodes.mul(m[0][1], m[1][0]));
  let acc = nodes.num(0);
  for (let j = 0; j < n; j++) {
    const c = nodes.mul(m[0][j], cofactor(m, 0, j));
    acc = nodes.add(acc, c);
  }
  return acc;
}

function minor(m: readonly (readonly MathNode[])[], r: number, c: number): MathNode[][] {
  return m.filter((_, i) => i !== r).map((row) => row.filter((_, j) => j !== c));
}

function cofactor(m: readonly (readonly MathNode[])[], r: number, c: number): MathNode {
  const d = symbolicDet(minor(m, r, c));
  return (r + c) % 2 === 0 ? d : nodes.neg(d);
}

export function symbolicInverse(g: readonly (readonly MathNode[])[]): SymbolicInverse {
  const n = g.length;
  const inverse: (MathNode | null)[][] = Array.from({ length: n }, () => new Array<MathNode | null>(n).fill(nodes.num(0)));
  const blocks: InverseBlock[] = [];
  let complete = true;
  for (const idx of components(g)) {
    const b = idx.map((i) => idx.map((j) => g[i][j]));
    if (idx.length === 1) {
      blocks.push({ indices: idx, det: null, adjugate: [[nodes.num(1)]] });
      inverse[idx[0]][idx[0]] = nodes.div(nodes.num(1), b[0][0]);
      continue;
    }
    if (idx.length > 3) {
      complete = false;
      for (const i of idx) for (const j of idx) inverse[i][j] = null;
      continue;
    }
    const det = symbolicDet(b);
    const adj = idx.map((_, i) => idx.map((__, j) => cofactor(b, j, i)));
    blocks.push({ indices: idx, det, adjugate: adj });
    idx.forEach((gi, a) => idx.forEach((gj, c) => (inverse[gi][gj] = nodes.div(adj[a][c], det))));
  }
  return { blocks, inverse, complete };
}
