// Types of engine.mjs, a plain ES module shared with bench/fuzz.mjs: what the tests read of it.
export function prng(seed: number): () => number;
export function mutate(text: string, api: unknown, rand: () => number): string;
export function runOne(api: unknown, file: string, text: string, slowMs: number): { failures: unknown[] };
export function fuzz(api: unknown, o: { specsDir: string; seed: number; count: number; slowMs?: number; onProgress?: (done: number) => void; onFailure?: (f: unknown) => void }): unknown;
