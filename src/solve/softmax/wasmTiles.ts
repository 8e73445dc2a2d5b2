/**
 * WebAssembly SIMD (f64x2) kernels for the softmax fast path, generated as bytes at load time by a
 * tiny in-repo assembler (no toolchain, no committed binary).
 *
 * The module imports one linear memory `env.mem` (built in ONE place, {@link importSection}) and exports
 *   gemm(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, lower, ws)
 *     C[i,j] ← β C[i,j] + α Σ_p A[i,p] B[j,p] (0 ≤ i < m, 0 ≤ j < n; j ≤ i only when lower ≠ 0), every
 *     address and leading dimension in BYTES. The whole macro-loop runs inside WebAssembly: for each
 *     block of NC columns and KC summation indices, B is packed once into NR-wide k-major panels in
 *     the scratch `ws` (WS_DOUBLES doubles, owned by the caller: one per arena or per thread, so
 *     several instances over one shared memory can run at once on disjoint rows of C); the register
 *     micro-kernel then multiplies MR rows of A (read in place, one broadcast per entry) by a panel
 *     (MR×NR accumulators, outer-product form). β = 0 does not read C. Every entry of C is summed in
 *     the same order whatever the row range or tile position (bitwise reproducible row splits).
 *   dot(n, x, y) → Σ x_i y_i; axpy(n, α, x, y): y ← y + αx; xpby(n, x, β, y): y ← x + βy;
 *   cgStep(n, α, p, q, x, r) → ‖r‖²: x ← x + αp, r ← r − αq (addresses in bytes).
 *   potrfBlock / trsm helpers used by the blocked Cholesky and the triangular solves (see kernels.ts).
 *
 * Two variants are built from the same generator: plain SIMD (separate f64x2 mul and add) and relaxed
 * SIMD (f64x2.relaxed_madd, fused on hardware with FMA). {@link wasmKernelModule} picks the relaxed one
 * when the runtime compiles it (Chromium; Node ≥ 20 with --experimental-wasm-relaxed-simd), the plain
 * one otherwise, and null without SIMD (callers then use scalar JavaScript).
 *
 * Arrays live in an {@link WasmArena}: a private memory per model, sized once at construction (it
 * never grows, so Float64Array views into it stay valid). A multi-threaded model's arena is a shared memory that
 * worker threads attach to (createArena(…, {shared: true}), attachArena; the module then imports a shared memory).
 */

// ---- the WebAssembly API (not in the ES2022 lib without DOM types): the few members used here ----
export interface WasmMemory { readonly buffer: ArrayBuffer | SharedArrayBuffer }
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (desc: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}
const WA: WasmApi | undefined = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

// ---- minimal binary encoder -------------------------------------------------------------
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}
function f64bytes(x: number): number[] {
  return Array.from(new Uint8Array(new Float64Array([x]).buffer));
}
function str(s: string): number[] {
  const b = Array.from(new TextEncoder().encode(s));
  return [...uleb(b.length), ...b];
}
function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}
function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

const I32 = 0x7f, F64 = 0x7c, V128 = 0x7b;
const O = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d, ret: 0x0f, call: 0x10, select: 0x1b,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  f64Load: 0x2b, f64Store: 0x39, i32Const: 0x41, f64Const: 0x44,
  i32Eqz: 0x45, i32Eq: 0x46, i32Ne: 0x47, i32LtS: 0x48, i32GtS: 0x4a, i32LeS: 0x4c, i32GeS: 0x4e,
  f64Eq: 0x61, f64Lt: 0x63, f64Gt: 0x64, f64Le: 0x65,
  i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, i32And: 0x71, i32Shl: 0x74,
  f64Neg: 0x9a, f64Sqrt: 0x9f, f64Add: 0xa0, f64Sub: 0xa1, f64Mul: 0xa2, f64Div: 0xa3,
};
const simd = (code: number, ...imm: number[]): number[] => [0xfd, ...uleb(code), ...imm];
const memarg = (align: number, offset = 0) => [...uleb(align), ...uleb(offset)];
const V = {
  load: (off = 0) => simd(0, ...memarg(3, off)),
  load64Splat: (off = 0) => simd(10, ...memarg(3, off)),
  store: (off = 0) => simd(11, ...memarg(3, off)),
  load64Zero: (off = 0) => simd(93, ...memarg(3, off)),
  splat: simd(20), extract0: simd(33, 0), extract1: simd(33, 1),
  add: simd(240), sub: simd(241), mul: simd(242),
  /** f64x2.relaxed_madd(a, b, c) = a·b + c (fused where the hardware has FMA). */
  relaxedMadd: simd(0x107),
};
const f64Load = (off = 0) => [O.f64Load, ...memarg(3, off)];
const f64Store = (off = 0) => [O.f64Store, ...memarg(3, off)];

/** One function under construction: typed params, extra locals, and its code as bytes. */
class Fn {
  readonly c: number[] = [];
  private readonly extra: number[] = [];
  constructor(readonly name: string, readonly params: number[], readonly results: number[] = []) {}
  local(t: number): number {
    this.extra.push(t);
    return this.params.length + this.extra.length - 1;
  }
  e(...bytes: (number | number[])[]): this {
    for (const b of bytes) if (Array.isArray(b)) this.c.push(...b); else this.c.push(b);
    return this;
  }
  get(i: number): this { return this.e(O.localGet, uleb(i)); }
  set(i: number): this { return this.e(O.localSet, uleb(i)); }
  i32(n: number): this { return this.e(O.i32Const, sleb(n)); }
  f64(x: number): this { return this.e(O.f64Const, f64bytes(x)); }
  /** local ← local + n (i32). */
  inc(i: number, n: number | (() => void)): this {
    this.get(i);
    if (typeof n === 'number') this.i32(n); else n();
    return this.e(O.i32Add).set(i);
  }
  /** while (cond leaves non-zero) body. */
  while(cond: () => void, body: () => void): this {
    this.e(O.block, 0x40, O.loop, 0x40);
    cond();
    this.e(O.i32Eqz, O.brIf, 1);
    body();
    return this.e(O.br, 0, O.end, O.end);
  }
  /** for (i = start; i < end; i += step), i and end locals (start pushed by `start`). */
  for(i: number, start: () => void, end: number, step: number, body: () => void): this {
    start();
    this.set(i);
    return this.while(() => this.get(i).get(end).e(O.i32LtS), () => { body(); this.inc(i, step); });
  }
  if(cond: () => void, then: () => void, otherwise?: () => void): this {
    cond();
    this.e(O.if, 0x40);
    then();
    if (otherwise) { this.e(O.else); otherwise(); }
    return this.e(O.end);
  }
  /** i32 min of two locals onto the stack. */
  minI32(x: () => void, y: () => void): this {
    x(); y(); x(); y();
    return this.e(O.i32LtS, O.select);
  }
  bytes(): number[] {
    const groups: number[][] = [];
    for (let i = 0; i < this.extra.length; ) {
      let j = i;
      while (j < this.extra.length && this.extra[j] === this.extra[i]) j++;
      groups.push([...uleb(j - i), this.extra[i]]);
      i = j;
    }
    const code = [...vec(groups), ...this.c, O.end];
    return [...uleb(code.length), ...code];
  }
}

// ---- blocking parameters -----------------------------------------------------------------
/** Register tile: MR rows of A (broadcast) × NR columns of packed B (NR/2 f64x2 vectors). */
export const MR = 4, NR = 4;
/** Summation block (a KC×NR panel of packed B stays in L1), row block and packed column block. */
const KC = 256, MC = 64, NC = 512;
/** Scratch doubles one gemm call needs at `ws`: the packed KC×NC block of B, MC×KC of A and an MR×NR tile. */
export const WS_DOUBLES = KC * NC + MC * KC + MR * NR + 8;
/**
 * A block of A is packed into MR-wide k-major panels (one pointer, constant offsets in the
 * micro-kernel) when at least this many columns reuse it; narrower products read A in place.
 */
const PACK_A_MIN_N = 12;

export type Variant = 'relaxed' | 'simd';

/** acc ← acc + a·b on the stack order (a, b pushed by the caller's callbacks). */
function madd(f: Fn, variant: Variant, acc: number, a: number, b: number): void {
  if (variant === 'relaxed') f.get(a).get(b).get(acc).e(V.relaxedMadd).set(acc);
  else f.get(acc).get(a).get(b).e(V.mul).e(V.add).set(acc);
}

/**
 * Micro-kernel for `mr` rows: kern(kc, a, lda, bp, c, ldc, alpha, beta, nr, diag, tmp). Rows of A are
 * read in place (A[r,p] at a + r·lda + 8p, one 64-bit broadcast each), B from an NR-wide k-major
 * panel at bp. Stores C[r,s] (s < nr, s ≤ r + diag) as βC + α·acc; β = 0 does not read C.
 */
function kernel(mr: number, variant: Variant, packed: boolean, half: boolean): Fn {
  const f = new Fn(`kern${packed ? 'P' : ''}${mr}${half ? 'h' : ''}`, [I32, I32, I32, I32, I32, I32, F64, F64, I32, I32, I32]);
  const KCL = 0, A = 1, LDA = 2, BP = 3, C = 4, LDC = 5, ALPHA = 6, BETA = 7, NRA = 8, DIAG = 9, TMP = 10;
  // `half`: only the first f64x2 of each panel row (a last panel with nr ≤ 2 columns).
  const NV = half ? 1 : NR / 2;
  const ar = Array.from({ length: packed ? 1 : mr }, () => f.local(I32));
  const bEnd = f.local(I32), cr = f.local(I32), s = f.local(I32), se = f.local(I32), addr = f.local(I32);
  const acc = Array.from({ length: mr * NV }, () => f.local(V128));
  const bv = Array.from({ length: NV }, () => f.local(V128));
  const av = f.local(V128), al = f.local(V128), be = f.local(V128);
  const val = f.local(F64);
  // Packed: A is an MR-wide k-major panel (A[r,p] at a + 8(p·MR + r)); otherwise rows of A in place.
  for (let r = 0; r < ar.length; r++) {
    if (r === 0) f.get(A); else f.get(ar[r - 1]).get(LDA).e(O.i32Add);
    f.set(ar[r]);
  }
  f.get(BP).get(KCL).i32(Math.log2(NR * 8)).e(O.i32Shl, O.i32Add).set(bEnd);
  // Not unrolled: TurboFan hoists every load of a loop body to its top, so the body's loads
  // (NR/2 + mr) plus the accumulators must fit the 15 allocatable xmm registers or it spills.
  f.while(() => f.get(BP).get(bEnd).e(O.i32LtS), () => {
    for (let t = 0; t < NV; t++) f.get(BP).e(V.load(16 * t)).set(bv[t]);
    for (let r = 0; r < mr; r++) {
      if (packed) f.get(ar[0]).e(V.load64Splat(8 * r)); else f.get(ar[r]).e(V.load64Splat());
      f.set(av);
      for (let t = 0; t < NV; t++) madd(f, variant, acc[r * NV + t], av, bv[t]);
    }
    f.inc(BP, NR * 8);
    if (packed) f.inc(ar[0], MR * 8);
    else for (let r = 0; r < mr; r++) f.inc(ar[r], 8);
  });
  f.get(ALPHA).e(V.splat).set(al);
  // Full tile: vector stores straight into C.
  f.if(() => f.get(NRA).i32(NR).e(O.i32Eq).get(DIAG).i32(NR - 1).e(O.i32GeS, O.i32And), () => {
    const storeAll = (combine: (r: number, t: number) => void) => {
      f.get(C).set(cr);
      for (let r = 0; r < mr; r++) {
        for (let t = 0; t < NV; t++) {
          f.get(cr);
          combine(r, t);
          f.e(V.store(16 * t));
        }
        if (r + 1 < mr) f.inc(cr, () => f.get(LDC));
      }
    };
    f.if(() => f.get(BETA).f64(0).e(O.f64Eq), () => {
      storeAll((r, t) => f.get(al).get(acc[r * NV + t]).e(V.mul));
    }, () => {
      f.if(() => f.get(BETA).f64(1).e(O.f64Eq), () => {
        storeAll((r, t) => f.get(cr).e(V.load(16 * t)).get(al).get(acc[r * NV + t]).e(V.mul, V.add));
      }, () => {
        f.get(BETA).e(V.splat).set(be);
        storeAll((r, t) => f.get(be).get(cr).e(V.load(16 * t)).e(V.mul).get(al).get(acc[r * NV + t]).e(V.mul, V.add));
      });
    });
  }, () => {
    // Edge or diagonal tile: spill the accumulators, then store the wanted entries one by one.
    for (let r = 0; r < mr; r++) for (let t = 0; t < NV; t++) f.get(TMP).get(acc[r * NV + t]).e(V.store((r * NR + 2 * t) * 8));
    f.get(C).set(cr);
    for (let r = 0; r < mr; r++) {
      // se = min(nr, r + diag + 1)
      f.minI32(() => f.get(NRA), () => f.get(DIAG).i32(r + 1).e(O.i32Add)).set(se);
      f.for(s, () => f.i32(0), se, 1, () => {
        f.get(cr).get(s).i32(3).e(O.i32Shl, O.i32Add).set(addr);
        f.get(ALPHA).get(TMP).get(s).i32(3).e(O.i32Shl, O.i32Add).e(f64Load(r * NR * 8)).e(O.f64Mul).set(val);
        f.if(() => f.get(BETA).f64(0).e(O.f64Eq, O.i32Eqz), () => {
          f.if(() => f.get(BETA).f64(1).e(O.f64Eq), () => {
            f.get(addr).e(f64Load()).get(val).e(O.f64Add).set(val);
          }, () => {
            f.get(BETA).get(addr).e(f64Load()).e(O.f64Mul).get(val).e(O.f64Add).set(val);
          });
        });
        f.get(addr).get(val).e(f64Store());
      });
      if (r + 1 < mr) f.inc(cr, () => f.get(LDC));
    }
  });
  return f;
}

/**
 * packB(nc, kc, b, ldb, dst) / packA(mc, kc, a, lda, dst): W-wide (NR or MR) k-major panels of an
 * nc×kc block of rows (entry (j, p) at src + j·ld + 8p) to dst + 8(⌊j/W⌋·kc·W + p·W + j mod W), zero-padded.
 */
function packFn(name: string, W: number): Fn {
  const f = new Fn(name, [I32, I32, I32, I32, I32]);
  const NCL = 0, KCL = 1, B = 2, LDB = 3, DST = 4;
  const jr = f.local(I32), s = f.local(I32), col = f.local(I32), src = f.local(I32), d = f.local(I32), p = f.local(I32), nrs = f.local(I32);
  f.i32(W).set(nrs);
  f.for(jr, () => f.i32(0), NCL, W, () => {
    f.for(s, () => f.i32(0), nrs, 1, () => {
      f.get(jr).get(s).e(O.i32Add).set(col);
      // d = dst + jr*kc*8 + 8s
      f.get(DST).get(jr).get(KCL).e(O.i32Mul).i32(3).e(O.i32Shl, O.i32Add).get(s).i32(3).e(O.i32Shl, O.i32Add).set(d);
      f.if(() => f.get(col).get(NCL).e(O.i32LtS), () => {
        f.get(B).get(col).get(LDB).e(O.i32Mul, O.i32Add).set(src);
        f.for(p, () => f.i32(0), KCL, 1, () => {
          f.get(d).get(src).e(f64Load()).e(f64Store());
          f.inc(d, W * 8);
          f.inc(src, 8);
        });
      }, () => {
        f.for(p, () => f.i32(0), KCL, 1, () => {
          f.get(d).f64(0).e(f64Store());
          f.inc(d, W * 8);
        });
      });
    });
  });
  return f;
}

/** gemm(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, lower, ws): the macro-loop (module comment). */
function gemm(kernIndex: (mr: number, packed: boolean, half: boolean) => number, packIndex: number, packAIndex: number): Fn {
  const f = new Fn('gemm', [I32, I32, I32, F64, I32, I32, I32, I32, F64, I32, I32, I32, I32]);
  const M = 0, N = 1, K = 2, ALPHA = 3, A = 4, LDA = 5, B = 6, LDB = 7, BETA = 8, C = 9, LDC = 10, LOWER = 11, WS = 12;
  const jc = f.local(I32), nc = f.local(I32), pc = f.local(I32), kc = f.local(I32), ic = f.local(I32), mc = f.local(I32);
  const jr = f.local(I32), nr = f.local(I32), ir = f.local(I32), mr = f.local(I32), i = f.local(I32), j = f.local(I32);
  const diag = f.local(I32), tmp = f.local(I32), bt = f.local(F64), pa = f.local(I32), wa = f.local(I32);
  f.get(WS).i32(KC * NC * 8).e(O.i32Add).set(wa);
  f.get(wa).i32(KC * MC * 8).e(O.i32Add).set(tmp);
  f.for(jc, () => f.i32(0), N, NC, () => {
    f.minI32(() => f.i32(NC), () => f.get(N).get(jc).e(O.i32Sub)).set(nc);
    f.for(pc, () => f.i32(0), K, KC, () => {
      f.minI32(() => f.i32(KC), () => f.get(K).get(pc).e(O.i32Sub)).set(kc);
      f.get(BETA).f64(1).get(pc).e(O.i32Eqz, O.select).set(bt);
      f.get(nc).get(kc).get(B).get(jc).get(LDB).e(O.i32Mul, O.i32Add).get(pc).i32(3).e(O.i32Shl, O.i32Add).get(LDB).get(WS).e(O.call, uleb(packIndex));
      // Rows above jc have nothing to do in a lower update.
      f.for(ic, () => f.get(jc).i32(0).get(LOWER).e(O.select), M, MC, () => {
        f.minI32(() => f.i32(MC), () => f.get(M).get(ic).e(O.i32Sub)).set(mc);
        // Pack this MC×KC block of A when enough column panels reuse it.
        f.get(nc).i32(PACK_A_MIN_N).e(O.i32GeS).set(pa);
        f.if(() => f.get(pa), () => {
          f.get(mc).get(kc).get(A).get(ic).get(LDA).e(O.i32Mul, O.i32Add).get(pc).i32(3).e(O.i32Shl, O.i32Add).get(LDA).get(wa).e(O.call, uleb(packAIndex));
        });
        f.for(jr, () => f.i32(0), nc, NR, () => {
          f.minI32(() => f.i32(NR), () => f.get(nc).get(jr).e(O.i32Sub)).set(nr);
          f.get(jc).get(jr).e(O.i32Add).set(j);
          f.for(ir, () => f.i32(0), mc, MR, () => {
            f.get(ic).get(ir).e(O.i32Add).set(i);
            f.minI32(() => f.i32(MR), () => f.get(mc).get(ir).e(O.i32Sub)).set(mr);
            f.get(i).get(j).e(O.i32Sub).i32(1 << 20).get(LOWER).e(O.select).set(diag);
            // Skip tiles entirely above the diagonal (diag + mr − 1 < 0).
            f.if(() => f.get(diag).get(mr).e(O.i32Add).i32(1).e(O.i32GeS), () => {
              const args = (packed: boolean) => {
                if (packed) f.get(kc).get(wa).get(ir).get(kc).e(O.i32Mul).i32(3).e(O.i32Shl, O.i32Add).get(LDA);
                else f.get(kc).get(A).get(i).get(LDA).e(O.i32Mul, O.i32Add).get(pc).i32(3).e(O.i32Shl, O.i32Add).get(LDA);
                f.get(WS).get(jr).get(kc).e(O.i32Mul).i32(3).e(O.i32Shl, O.i32Add);
                f.get(C).get(i).get(LDC).e(O.i32Mul, O.i32Add).get(j).i32(3).e(O.i32Shl, O.i32Add).get(LDC);
                f.get(ALPHA).get(bt).get(nr).get(diag).get(tmp);
              };
              const chain = (r: number, packed: boolean, half: boolean) => {
                if (r === 1) { args(packed); f.e(O.call, uleb(kernIndex(1, packed, half))); return; }
                f.if(() => f.get(mr).i32(r).e(O.i32Eq), () => { args(packed); f.e(O.call, uleb(kernIndex(r, packed, half))); }, () => chain(r - 1, packed, half));
              };
              const byWidth = (packed: boolean) => f.if(() => f.get(nr).i32(2).e(O.i32LeS), () => chain(MR, packed, true), () => chain(MR, packed, false));
              f.if(() => f.get(pa), () => byWidth(true), () => byWidth(false));
            });
          });
        });
      });
    });
  });
  return f;
}

/** dot(n, x, y) → Σ x_i y_i (two f64x2 accumulators, then lanes and the odd tail). */
function dotFn(): Fn {
  const f = new Fn('dot', [I32, I32, I32], [F64]);
  const NL = 0, X = 1, Y = 2;
  const i = f.local(I32), n4 = f.local(I32), a0 = f.local(V128), a1 = f.local(V128), s = f.local(F64);
  f.get(NL).i32(-4).e(O.i32And).set(n4);
  f.for(i, () => f.i32(0), n4, 4, () => {
    f.get(a0).get(X).e(V.load()).get(Y).e(V.load()).e(V.mul, V.add).set(a0);
    f.get(a1).get(X).e(V.load(16)).get(Y).e(V.load(16)).e(V.mul, V.add).set(a1);
    f.inc(X, 32); f.inc(Y, 32);
  });
  f.get(a0).get(a1).e(V.add).set(a0);
  f.get(a0).e(V.extract0).get(a0).e(V.extract1).e(O.f64Add).set(s);
  f.while(() => f.get(i).get(NL).e(O.i32LtS), () => {
    f.get(s).get(X).e(f64Load()).get(Y).e(f64Load()).e(O.f64Mul, O.f64Add).set(s);
    f.inc(X, 8); f.inc(Y, 8); f.inc(i, 1);
  });
  f.get(s);
  return f;
}

/** axpy(n, α, x, y): y ← y + αx.  xpby(n, x, β, y): y ← x + βy. */
function axpyFn(xpby: boolean): Fn {
  const f = xpby ? new Fn('xpby', [I32, I32, F64, I32]) : new Fn('axpy', [I32, F64, I32, I32]);
  const NL = 0, S = xpby ? 2 : 1, X = xpby ? 1 : 2, Y = 3;
  const i = f.local(I32), n2 = f.local(I32), sv = f.local(V128);
  f.get(S).e(V.splat).set(sv);
  f.get(NL).i32(-2).e(O.i32And).set(n2);
  const body = (load: number[], store: number[], sc: number | null) => {
    f.get(Y);
    if (xpby) f.get(X).e(load).get(sc ?? sv).get(Y).e(load).e(sc === null ? V.mul : O.f64Mul, sc === null ? V.add : O.f64Add);
    else f.get(Y).e(load).get(sc ?? sv).get(X).e(load).e(sc === null ? V.mul : O.f64Mul, sc === null ? V.add : O.f64Add);
    f.e(store);
  };
  f.for(i, () => f.i32(0), n2, 2, () => { body(V.load(), V.store(), null); f.inc(X, 16); f.inc(Y, 16); });
  f.if(() => f.get(i).get(NL).e(O.i32LtS), () => body(f64Load(), f64Store(), S));
  return f;
}

/** cgStep(n, α, p, q, x, r) → ‖r‖² after x ← x + αp, r ← r − αq. */
function cgStepFn(): Fn {
  const f = new Fn('cgStep', [I32, F64, I32, I32, I32, I32], [F64]);
  const NL = 0, AL = 1, P = 2, Q = 3, X = 4, R = 5;
  const i = f.local(I32), n2 = f.local(I32), av = f.local(V128), rv = f.local(V128), acc = f.local(V128), s = f.local(F64), rs = f.local(F64);
  f.get(AL).e(V.splat).set(av);
  f.get(NL).i32(-2).e(O.i32And).set(n2);
  f.for(i, () => f.i32(0), n2, 2, () => {
    f.get(X).get(X).e(V.load()).get(av).get(P).e(V.load()).e(V.mul, V.add, V.store());
    f.get(R).e(V.load()).get(av).get(Q).e(V.load()).e(V.mul, V.sub).set(rv);
    f.get(R).get(rv).e(V.store());
    f.get(acc).get(rv).get(rv).e(V.mul, V.add).set(acc);
    f.inc(P, 16); f.inc(Q, 16); f.inc(X, 16); f.inc(R, 16);
  });
  f.get(acc).e(V.extract0).get(acc).e(V.extract1).e(O.f64Add).set(s);
  f.if(() => f.get(i).get(NL).e(O.i32LtS), () => {
    f.get(X).get(X).e(f64Load()).get(AL).get(P).e(f64Load()).e(O.f64Mul, O.f64Add).e(f64Store());
    f.get(R).e(f64Load()).get(AL).get(Q).e(f64Load()).e(O.f64Mul, O.f64Sub).set(rs);
    f.get(R).get(rs).e(f64Store());
    f.get(s).get(rs).get(rs).e(O.f64Mul, O.f64Add).set(s);
  });
  f.get(s);
  return f;
}

/**
 * Emits s ← Σ x_i y_i over `lenB` BYTES at x and y (locals; x and y are not changed) into the f64
 * local `out`: two f64x2 accumulators over 4 doubles a step, then a pair, then one double. Inline
 * (no call) for the short dot products of the triangular substitutions.
 */
function inlineDot(f: Fn, lenB: number, x: number, y: number, out: number): void {
  const q = f.local(I32), e4 = f.local(I32), a0 = f.local(V128), a1 = f.local(V128);
  f.f64(0).e(V.splat).set(a0);
  f.get(a0).set(a1);
  f.i32(0).set(q);
  f.get(lenB).i32(-32).e(O.i32And).set(e4);
  f.while(() => f.get(q).get(e4).e(O.i32LtS), () => {
    f.get(a0).get(x).get(q).e(O.i32Add).e(V.load()).get(y).get(q).e(O.i32Add).e(V.load()).e(V.mul, V.add).set(a0);
    f.get(a1).get(x).get(q).e(O.i32Add).e(V.load(16)).get(y).get(q).e(O.i32Add).e(V.load(16)).e(V.mul, V.add).set(a1);
    f.inc(q, 32);
  });
  f.if(() => f.get(q).i32(16).e(O.i32Add).get(lenB).e(O.i32LeS), () => {
    f.get(a0).get(x).get(q).e(O.i32Add).e(V.load()).get(y).get(q).e(O.i32Add).e(V.load()).e(V.mul, V.add).set(a0);
    f.inc(q, 16);
  });
  f.get(a0).get(a1).e(V.add).set(a0);
  f.get(a0).e(V.extract0).get(a0).e(V.extract1).e(O.f64Add).set(out);
  f.if(() => f.get(q).get(lenB).e(O.i32LtS), () => {
    f.get(out).get(x).get(q).e(O.i32Add).e(f64Load()).get(y).get(q).e(O.i32Add).e(f64Load()).e(O.f64Mul, O.f64Add).set(out);
  });
}

/**
 * potrfDiag(nb, a, ld) → 1, or 0 when a pivot is not positive and finite: unblocked lower Cholesky of
 * the nb×nb diagonal block at a (row-oriented: every step is a SIMD dot product of two row prefixes).
 */
function potrfDiagFn(): Fn {
  const f = new Fn('potrfDiag', [I32, I32, I32], [I32]);
  const NB = 0, A = 1, LD = 2;
  const i = f.local(I32), j = f.local(I32), ri = f.local(I32), rj = f.local(I32), s = f.local(F64), ip1 = f.local(I32);
  const lenB = f.local(I32), dt = f.local(F64);
  f.for(i, () => f.i32(0), NB, 1, () => {
    f.get(A).get(i).get(LD).e(O.i32Mul, O.i32Add).set(ri);
    f.get(i).i32(1).e(O.i32Add).set(ip1);
    f.for(j, () => f.i32(0), ip1, 1, () => {
      f.get(A).get(j).get(LD).e(O.i32Mul, O.i32Add).set(rj);
      // s = A[i,j] − Σ_{l<j} L[i,l] L[j,l]
      f.get(j).i32(3).e(O.i32Shl).set(lenB);
      inlineDot(f, lenB, ri, rj, dt);
      f.get(ri).get(j).i32(3).e(O.i32Shl, O.i32Add).e(f64Load()).get(dt).e(O.f64Sub).set(s);
      f.if(() => f.get(j).get(i).e(O.i32Eq), () => {
        f.if(() => f.get(s).f64(0).e(O.f64Gt).get(s).f64(Infinity).e(O.f64Lt, O.i32And, O.i32Eqz), () => f.i32(0).e(O.ret));
        f.get(ri).get(i).i32(3).e(O.i32Shl, O.i32Add).get(s).e(O.f64Sqrt).e(f64Store());
      }, () => {
        f.get(ri).get(j).i32(3).e(O.i32Shl, O.i32Add).get(s).get(rj).get(j).i32(3).e(O.i32Shl, O.i32Add).e(f64Load()).e(O.f64Div).e(f64Store());
      });
    });
  });
  f.i32(1);
  return f;
}

/**
 * Row-wise triangular substitutions with the lower n×n L at l (leading dimension ldl, bytes) on the
 * nrhs rows of B (ldb): trsmLT (forward): each row b ← L^{-1} b, i.e. B ← B L^{-T};
 * trsmL (backward, reading Lᵀ from the mirrored strict upper triangle): b ← L^{-T} b, i.e. B ← B L^{-1}.
 */
function trsmFn(backward: boolean): Fn {
  const f = new Fn(backward ? 'trsmL' : 'trsmLT', [I32, I32, I32, I32, I32, I32]);
  const N = 0, L = 1, LDL = 2, NRHS = 3, B = 4, LDB = 5;
  const r = f.local(I32), j = f.local(I32), o = f.local(I32), rj = f.local(I32), bj = f.local(I32), len = f.local(I32);
  const xp = f.local(I32), yp = f.local(I32), dt = f.local(F64), r4 = f.local(I32);
  // RB right-hand sides at once: their substitutions are independent chains (each step waits for a
  // dot product and a division), so interleaving them hides the latency; the L row is loaded once.
  const RB = 4;
  const ot = Array.from({ length: RB }, () => f.local(I32));
  const acc = Array.from({ length: RB }, () => f.local(V128));
  const sd = Array.from({ length: RB }, () => f.local(F64));
  const q = f.local(I32), e2 = f.local(I32), lv = f.local(V128), ls = f.local(F64), dj = f.local(F64), xo = f.local(I32);
  const colStart = () => {
    f.get(L).get(j).get(LDL).e(O.i32Mul, O.i32Add).set(rj);
    if (backward) {
      // Σ_{q>j} b_q Lᵀ[j,q]: both operands start at column j + 1.
      f.get(N).get(j).e(O.i32Sub).i32(1).e(O.i32Sub).i32(3).e(O.i32Shl).set(len);
      f.get(j).i32(3).e(O.i32Shl).i32(8).e(O.i32Add).set(xo);
    } else {
      f.get(j).i32(3).e(O.i32Shl).set(len);
      f.i32(0).set(xo);
    }
  };
  const blockStep = () => {
    colStart();
    f.get(rj).get(xo).e(O.i32Add).set(yp);
    f.f64(0).e(V.splat).set(lv);
    for (let t = 0; t < RB; t++) f.get(lv).set(acc[t]);
    f.i32(0).set(q);
    f.get(len).i32(-16).e(O.i32And).set(e2);
    f.while(() => f.get(q).get(e2).e(O.i32LtS), () => {
      f.get(yp).get(q).e(O.i32Add).e(V.load()).set(lv);
      for (let t = 0; t < RB; t++) f.get(acc[t]).get(ot[t]).get(xo).e(O.i32Add).get(q).e(O.i32Add).e(V.load()).get(lv).e(V.mul, V.add).set(acc[t]);
      f.inc(q, 16);
    });
    for (let t = 0; t < RB; t++) f.get(acc[t]).e(V.extract0).get(acc[t]).e(V.extract1).e(O.f64Add).set(sd[t]);
    f.if(() => f.get(q).get(len).e(O.i32LtS), () => {
      f.get(yp).get(q).e(O.i32Add).e(f64Load()).set(ls);
      for (let t = 0; t < RB; t++) f.get(sd[t]).get(ot[t]).get(xo).e(O.i32Add).get(q).e(O.i32Add).e(f64Load()).get(ls).e(O.f64Mul, O.f64Add).set(sd[t]);
    });
    f.get(rj).get(j).i32(3).e(O.i32Shl, O.i32Add).e(f64Load()).set(dj);
    for (let t = 0; t < RB; t++) {
      f.get(ot[t]).get(j).i32(3).e(O.i32Shl, O.i32Add).set(bj);
      f.get(bj).get(bj).e(f64Load()).get(sd[t]).e(O.f64Sub).get(dj).e(O.f64Div).e(f64Store());
    }
  };
  const step = () => {
    colStart();
    f.get(o).get(j).i32(3).e(O.i32Shl, O.i32Add).set(bj);
    f.get(o).get(xo).e(O.i32Add).set(xp);
    f.get(rj).get(xo).e(O.i32Add).set(yp);
    inlineDot(f, len, xp, yp, dt);
    f.get(bj);
    f.get(bj).e(f64Load()).get(dt).e(O.f64Sub);
    f.get(rj).get(j).i32(3).e(O.i32Shl, O.i32Add).e(f64Load()).e(O.f64Div).e(f64Store());
  };
  const columns = (body: () => void) => {
    if (backward) {
      f.get(N).i32(1).e(O.i32Sub).set(j);
      f.while(() => f.get(j).i32(0).e(O.i32GeS), () => { body(); f.inc(j, -1); });
    } else {
      f.for(j, () => f.i32(0), N, 1, body);
    }
  };
  f.get(NRHS).i32(-RB).e(O.i32And).set(r4);
  f.for(r, () => f.i32(0), r4, RB, () => {
    for (let t = 0; t < RB; t++) f.get(B).get(r).i32(t).e(O.i32Add).get(LDB).e(O.i32Mul, O.i32Add).set(ot[t]);
    columns(blockStep);
  });
  f.while(() => f.get(r).get(NRHS).e(O.i32LtS), () => {
    f.get(B).get(r).get(LDB).e(O.i32Mul, O.i32Add).set(o);
    columns(step);
    f.inc(r, 1);
  });
  return f;
}

/**
 * peak(iters) → a checksum: `iters` rounds of PEAK_ACC independent f64x2 multiply-adds on registers
 * only (no memory traffic), the ceiling of this 128-bit path: 4·PEAK_ACC·iters flops.
 */
export const PEAK_ACC = 12;
function peakFn(variant: Variant): Fn {
  const f = new Fn('peak', [I32], [F64]);
  const i = f.local(I32), x = f.local(V128), y = f.local(V128);
  const acc = Array.from({ length: PEAK_ACC }, () => f.local(V128));
  f.f64(0.999999).e(V.splat).set(x);
  f.f64(1e-9).e(V.splat).set(y);
  f.for(i, () => f.i32(0), 0, 1, () => {
    for (const a of acc) madd(f, variant, a, x, y);
  });
  for (let t = 1; t < PEAK_ACC; t++) f.get(acc[0]).get(acc[t]).e(V.add).set(acc[0]);
  f.get(acc[0]).e(V.extract0);
  return f;
}

/**
 * The memory import: one linear memory `env.mem`. The single place that describes it: limits flag 0x00
 * (min 1 page), or for a shared memory 0x03 with a maximum (65536 pages, the 32-bit limit).
 */
function importSection(shared = false): number[] {
  const limits = shared ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  return section(2, vec([[...str('env'), ...str('mem'), 0x02, ...limits]]));
}

/** Module bytes of one variant (plain f64x2 mul + add, or relaxed_madd). */
export function moduleBytes(variant: Variant, shared = false): Uint8Array {
  const fns: Fn[] = [];
  const add = (f: Fn) => { fns.push(f); return fns.length - 1; };
  const kernIdx = new Map<string, number>();
  for (const packed of [false, true]) for (const half of [false, true]) {
    for (let mr = 1; mr <= MR; mr++) kernIdx.set(`${mr}${packed}${half}`, add(kernel(mr, variant, packed, half)));
  }
  const packIdx = add(packFn('packB', NR));
  const packAIdx = add(packFn('packA', MR));
  add(gemm((mr, packed, half) => kernIdx.get(`${mr}${packed}${half}`)!, packIdx, packAIdx));
  add(dotFn());
  add(axpyFn(false));
  add(axpyFn(true));
  add(cgStepFn());
  add(peakFn(variant));
  add(potrfDiagFn());
  add(trsmFn(false));
  add(trsmFn(true));
  const sigs: string[] = [];
  const sigOf = (f: Fn) => {
    const key = `${f.params.join(',')}|${f.results.join(',')}`;
    let i = sigs.indexOf(key);
    if (i < 0) { sigs.push(key); i = sigs.length - 1; }
    return i;
  };
  const typeIdx = fns.map(sigOf);
  const types = section(1, vec(sigs.map((key) => {
    const [p, r] = key.split('|').map((s) => (s ? s.split(',').map(Number) : []));
    return [0x60, ...vec(p.map((t) => [t])), ...vec(r.map((t) => [t]))];
  })));
  const funcs = section(3, vec(typeIdx.map((t) => uleb(t))));
  const exports = section(7, vec(fns.map((f, i) => [...str(f.name), 0x00, ...uleb(i)])));
  const code = section(10, vec(fns.map((f) => f.bytes())));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...types, ...importSection(shared), ...funcs, ...exports, ...code]);
}

/** Exported kernels of one instance (addresses and leading dimensions in bytes). */
export interface WasmKernels {
  gemm(m: number, n: number, k: number, alpha: number, a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number, lower: number, ws: number): void;
  dot(n: number, x: number, y: number): number;
  axpy(n: number, alpha: number, x: number, y: number): void;
  xpby(n: number, x: number, beta: number, y: number): void;
  cgStep(n: number, alpha: number, p: number, q: number, x: number, r: number): number;
  peak(iters: number): number;
  potrfDiag(nb: number, a: number, ld: number): number;
  trsmLT(n: number, l: number, ldl: number, nrhs: number, b: number, ldb: number): void;
  trsmL(n: number, l: number, ldl: number, nrhs: number, b: number, ldb: number): void;
}

/** Kernel flavour: `relaxed` (fused multiply-add), `simd` (plain f64x2), or `auto` (relaxed when it compiles). */
export type WasmVariant = Variant | 'auto';

const compiled: Partial<Record<string, object | null>> = {};

/** The compiled module of a variant (importing a shared memory when `shared`), or null when this runtime cannot compile it. */
export function wasmKernelModule(variant: Variant, shared = false): object | null {
  const key = shared ? `${variant}-shared` : variant;
  if (compiled[key] !== undefined) return compiled[key]!;
  let mod: object | null = null;
  try {
    mod = WA ? new WA.Module(moduleBytes(variant, shared)) : null;
  } catch {
    mod = null;
  }
  compiled[key] = mod;
  return mod;
}

/** The variant `auto` resolves to in this runtime, or null without WebAssembly SIMD. */
export function bestWasmVariant(): Variant | null {
  if (wasmKernelModule('relaxed')) return 'relaxed';
  if (wasmKernelModule('simd')) return 'simd';
  return null;
}

/** Default flavour of new arenas (tests and benchmarks switch it; `auto` unless set). */
let defaultVariant: WasmVariant = 'auto';
export function setDefaultWasmVariant(v: WasmVariant): void {
  defaultVariant = v;
}

/** An instance of the kernel module over its own memory, plus a bump allocator for Float64Array views. */
export interface WasmArena {
  readonly memory: WasmMemory;
  readonly variant: Variant;
  readonly kernels: WasmKernels;
  /** Byte address of this arena's gemm scratch (WS_DOUBLES doubles). */
  readonly ws: number;
  /** A zero-filled Float64Array of length n inside the arena's memory; throws when the arena is full. */
  alloc(n: number): Float64Array;
}

const arenas = new WeakMap<ArrayBufferLike, WasmArena>();

/** The arena whose memory holds `buffer`, if any (used by the kernels to dispatch to SIMD). */
export function arenaOf(buffer: ArrayBufferLike): WasmArena | undefined {
  return arenas.get(buffer);
}

/**
 * Creates an arena able to hold `doubles` Float64 values (plus the gemm scratch and alignment slack),
 * or null without SIMD (or without the requested variant) or when it would exceed 2 GiB. With `shared`,
 * the memory is a shared WebAssembly.Memory (a SharedArrayBuffer that worker threads instantiate the same
 * module variant over, see {@link attachArena}; null when shared memory is unavailable).
 */
export function createArena(doubles: number, options: { variant?: WasmVariant; shared?: boolean } = {}): WasmArena | null {
  const want = options.variant ?? defaultVariant;
  const variant = want === 'auto' ? bestWasmVariant() : want;
  const shared = options.shared === true;
  if (!variant || !WA) return null;
  const mod = wasmKernelModule(variant, shared);
  if (!mod) return null;
  const bytes = (doubles + WS_DOUBLES) * 8 + 8192;
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  // Addresses are signed i32 inside the kernels: stay below 2 GiB (callers fall back to scalar JS).
  if (pages > 32768) return null;
  let memory: WasmMemory;
  try {
    memory = new WA.Memory(shared ? { initial: pages, maximum: pages, shared: true } : { initial: pages });
  } catch {
    return null;
  }
  const ws = 64;
  return instantiateArena(mod, memory, variant, ws, ws + WS_DOUBLES * 8);
}

/** Doubles of per-thread kernel scratch a thread attached with {@link attachArena} needs (the gemm scratch). */
export const ARENA_SCRATCH_DOUBLES = WS_DOUBLES;

/**
 * An arena over an existing shared memory made by createArena(…, {shared: true}) on another thread, with the
 * same kernel variant (no allocation: views are made by the caller). `scratchByte`: this thread's own gemm
 * scratch, ARENA_SCRATCH_DOUBLES doubles reserved in the memory by the creating thread.
 */
export function attachArena(memory: WasmMemory, scratchByte: number, variant: Variant): WasmArena {
  const mod = wasmKernelModule(variant, true);
  if (!mod) throw new Error(`WebAssembly ${variant} kernels over shared memory are unavailable in this thread`);
  return instantiateArena(mod, memory, variant, scratchByte, memory.buffer.byteLength);
}

function instantiateArena(mod: object, memory: WasmMemory, variant: Variant, ws: number, top: number): WasmArena {
  const inst = new WA!.Instance(mod, { env: { mem: memory } });
  const buffer = memory.buffer;
  const arena: WasmArena = {
    memory,
    variant,
    kernels: inst.exports as unknown as WasmKernels,
    ws,
    alloc(n: number): Float64Array {
      top = (top + 15) & ~15;
      if (top + n * 8 > buffer.byteLength) throw new RangeError(`wasm arena full (${n} doubles requested)`);
      const v = new Float64Array(buffer, top, n);
      top += n * 8;
      return v;
    },
  };
  arenas.set(buffer, arena);
  return arena;
}
