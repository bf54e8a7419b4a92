// npx tsx bench/profile-top.ts <file.cpuprofile> [n] [last-seconds]: the functions with the most self time,
// grouped by function and file, as a share of the samples (for the closing note of a
// performance change: "node --cpu-prof" before and after).
import { readFileSync } from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
const file = process.argv[2];
if (!file) throw new Error("usage: profile-top <file.cpuprofile> [n]");
const n = Number(process.argv[3] ?? 15);
const profile = JSON.parse(readFileSync(file, "utf8")) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
// only the last seconds of the run (the burst a benchmark measures), when asked
const lastS = Number(process.argv[4] ?? 0);
if (lastS > 0) {
  const times: number[] = [];
  let t = 0;
  for (const d of profile.timeDeltas) times.push((t += d));
  const from = t - lastS * 1e6;
  profile.samples = profile.samples.filter((_, i) => times[i]! >= from);
}
const byId = new Map(profile.nodes.map((x) => [x.id, x]));
const counts = new Map<string, number>();
for (const id of profile.samples) {
  const f = byId.get(id)!.callFrame;
  const where = f.url
    .replace(/^.*node_modules\//, "")
    .replace(/^file:\/\/.*\/src\//, "src/")
    .replace(/^node:/, "node:");
  const key = `${f.functionName || "(anonymous)"} ${where}${f.url ? `:${f.lineNumber + 1}` : ""}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
const total = profile.samples.length;
for (const [key, c] of [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, n)) {
  console.log(`${((100 * c) / total).toFixed(1).padStart(5)}%  ${key}`);
}
