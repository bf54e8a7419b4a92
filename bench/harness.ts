// A small benchmark harness: each benchmark measures our way and the naive
// way it replaces, and reports both with their ratio.
import { performance } from "node:perf_hooks";

export interface Result {
  name: string;
  value: number;
  unit: string;
  baseline: number | null;
  ratio: number | null;
  /** where the value is the median of several runs: the lowest and highest */
  min?: number;
  max?: number;
  runs?: number;
}

export interface Benchmark {
  name: string;
  run(): Promise<Result[]> | Result[];
}

/** Operations per second of `op`, run for at least `ms` milliseconds and `minOps` times. */
export function opsPerSecond(op: (i: number) => void, ms = 500, minOps = 5): number {
  for (let i = 0; i < Math.min(minOps, 100); i++) op(i); // warm up
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms || ops < minOps) {
    for (let k = 0; k < 64 && (elapsed < ms || ops < minOps); k++) op(ops++);
    elapsed = performance.now() - start;
  }
  return (ops / elapsed) * 1000;
}

export function result(name: string, unit: string, value: number, baseline: number | null, higherIsBetter = true): Result {
  const ratio = baseline === null || baseline === 0 ? null : higherIsBetter ? value / baseline : baseline / value;
  return {
    name,
    value: round(value),
    unit,
    baseline: baseline === null ? null : round(baseline),
    ratio: ratio === null ? null : round(ratio),
  };
}

/** The median of several runs, with their spread. */
export function spread(name: string, unit: string, values: number[], baseline: number | null, higherIsBetter = true): Result {
  const sorted = [...values].sort((x, y) => x - y);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return {
    ...result(name, unit, median, baseline, higherIsBetter),
    min: round(sorted[0]!),
    max: round(sorted.at(-1)!),
    runs: values.length,
  };
}

function round(n: number): number {
  return n >= 100 ? Math.round(n) : Math.round(n * 100) / 100;
}
