// npx tsx bench/profile-top.ts <file.cpuprofile> [n] [last-seconds | busiest:seconds]: the functions with the most self time,
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
// Only part of the run, when asked: "5" is the last 5 seconds; "busiest:3" the 3 seconds
// with the fewest idle samples (the burst a benchmark measures, wherever it fell);
// "timeline" the busy share of each second; "range:12-18" seconds 12 to 18 from the start.
const window = process.argv[4] ?? "";
if (window) {
  const times: number[] = [];
  let t = 0;
  for (const d of profile.timeDeltas) times.push((t += d));
  let from = t - Number(window) * 1e6;
  let to = t;
  if (window === "timeline") {
    // busy share of each second, to find a window for "range:"
    const idle = new Set(profile.nodes.filter((x) => x.callFrame.functionName === "(idle)").map((x) => x.id));
    const secs = new Map<number, [number, number]>();
    times.forEach((tt, i) => {
      const s = Math.floor(tt / 1e6);
      const c = secs.get(s) ?? [0, 0];
      c[1]++;
      if (!idle.has(profile.samples[i]!)) c[0]++;
      secs.set(s, c);
    });
    for (const [s, [b, all]] of secs) console.log(`${String(s).padStart(4)} s ${((100 * b) / all).toFixed(0).padStart(3)}% busy`);
    process.exit(0);
  }
  if (window.startsWith("range:")) {
    const [a, b] = window.slice(6).split("-").map(Number);
    from = a! * 1e6;
    to = b! * 1e6;
  }
  if (window.startsWith("busiest:")) {
    const span = Number(window.slice(8)) * 1e6;
    const idle = new Set(profile.nodes.filter((x) => x.callFrame.functionName === "(idle)").map((x) => x.id));
    let best = -1;
    let lo = 0;
    let busy = 0;
    for (let hi = 0; hi < times.length; hi++) {
      if (!idle.has(profile.samples[hi]!)) busy++;
      while (times[hi]! - times[lo]! > span) if (!idle.has(profile.samples[lo++]!)) busy--;
      if (busy > best) [best, from, to] = [busy, times[lo]!, times[hi]!];
    }
  }
  profile.samples = profile.samples.filter((_, i) => times[i]! >= from && times[i]! <= to);
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
