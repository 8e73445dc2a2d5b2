/**
 * Node-only WebAssembly feature switches. Node 20 (V8 11.3) compiles relaxed SIMD (f64x2.relaxed_madd,
 * used by the softmax kernels in src/solve/softmax/wasmTiles.ts) only behind a V8 flag; browsers with
 * relaxed SIMD need nothing. Call {@link enableRelaxedSimd} before the first WebAssembly compile; the
 * kernels feature-detect and fall back to plain SIMD when the runtime still refuses the module.
 */
import { setFlagsFromString } from 'node:v8';

let done = false;

/** Turns on V8's relaxed-SIMD support for modules compiled from now on (idempotent). */
export function enableRelaxedSimd(): void {
  if (done) return;
  done = true;
  try {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    // Not V8, or the flag is gone (relaxed SIMD shipped): nothing to do.
  }
}
