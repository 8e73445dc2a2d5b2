/**
 * Worker-thread entry of the softmax multi-core products (started by ./softmaxThreads.ts).
 * workerData: {memory (a shared WebAssembly.Memory), controlByte}; the loop itself is the browser-safe
 * helperLoop of solve/softmax/parallel.ts, which returns when the runner is closed.
 */
import { workerData } from 'node:worker_threads';
import { helperLoop } from '../solve/softmax/parallel.js';
import type { WasmMemory } from '../solve/softmax/wasmTiles.js';

const { memory, controlByte } = workerData as { memory: WasmMemory; controlByte: number };
helperLoop(memory, controlByte);
