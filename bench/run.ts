// npm run bench [-- --json] [-- --only <name>]
// Prints each benchmark's figure, the naive baseline it replaces, and the ratio.
import { calendarBenchmark } from "./calendar.bench.ts";
import type { Benchmark, Result } from "./harness.ts";
import { lagBenchmark } from "./lag.bench.ts";
import { outstandingBenchmark } from "./outstanding.bench.ts";
import { renderBenchmark } from "./render.bench.ts";
import { scheduleBenchmark } from "./schedule.bench.ts";
import { startBenchmark } from "./start.bench.ts";

const BENCHMARKS: Benchmark[] = [startBenchmark, calendarBenchmark, renderBenchmark, outstandingBenchmark, scheduleBenchmark, lagBenchmark];

const args = process.argv.slice(2);
const json = args.includes("--json");
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;

const results: Result[] = [];
for (const b of BENCHMARKS) {
  if (only && b.name !== only) continue;
  if (!json) process.stderr.write(`running ${b.name}…\n`);
  results.push(...(await b.run()));
}

if (json) {
  process.stdout.write(`${JSON.stringify({ results })}\n`);
} else {
  const fmt = (n: number | null) => (n === null ? "—" : n.toLocaleString("en-GB"));
  for (const r of results) {
    console.log(
      `${r.name.padEnd(36)} ${fmt(r.value).padStart(14)} ${r.unit.padEnd(8)} baseline ${fmt(r.baseline).padStart(10)}  ratio ${fmt(r.ratio)}×${r.runs ? `  (median of ${r.runs}: ${fmt(r.min ?? null)}–${fmt(r.max ?? null)})` : ""}`,
    );
  }
}
