// npm run fuzz -- --requests 10000 --url http://127.0.0.1:3000 --key drp_… [--other-key drp_…] [--team cla-north] [--seed N]
// Sends generated bad and odd requests to a live server and prints the count
// of each status; exits 1 if any answer was a 5xx or showed a stack or a query.
import { randomUUID } from "node:crypto";
import { Command } from "commander";
import fc from "fast-check";
import { fuzzRequests, LEAKS } from "./requests.ts";

const o = new Command("fuzz")
  .option("--requests <n>", "how many requests", "10000")
  .requiredOption("--url <url>", "the server, e.g. http://127.0.0.1:3000")
  .requiredOption("--key <key>", "an API key of the authority to send as")
  .option("--other-key <key>", "a key of another authority, for its disputes' ids")
  .option("--team <id>", "a team in the key's directory, to raise a dispute of its own", "cla-north")
  .option("--seed <n>", "fast-check seed, to repeat a run")
  .parse(process.argv)
  .opts<{ requests: string; url: string; key: string; otherKey?: string; team: string; seed?: string }>();

const base = o.url.replace(/\/$/, "");

async function raiseOne(key: string): Promise<string | undefined> {
  const res = await fetch(`${base}/disputes`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({
      procedure: "iro",
      childRef: `FUZZ-${Date.now()}`,
      raisedBy: { name: "Fuzz Tester", email: "fuzz@example.org", role: "iro" },
      team: o.team,
      stage: 1,
      categories: ["other"],
      otherCategory: "fuzzing",
      summary: "A dispute raised by the fuzzer.",
    }),
  });
  return res.ok ? ((await res.json()) as { id: string }).id : undefined;
}

const ids = { own: (await raiseOne(o.key)) ?? randomUUID(), other: (o.otherKey && (await raiseOne(o.otherKey))) || randomUUID() };
const requests = fc.sample(fuzzRequests(ids), { numRuns: Number(o.requests), seed: o.seed ? Number(o.seed) : undefined });
const counts = new Map<number, number>();
const bad: string[] = [];
const started = Date.now();
for (const r of requests) {
  const headers: Record<string, string> = { ...r.headers };
  headers.authorization = (headers.authorization ?? "").replace("{own}", o.key).replace("{other}", o.otherKey ?? "drp_none");
  if (!headers.authorization) delete headers.authorization;
  let status: number;
  let text = "";
  try {
    const res = await fetch(`${base}${r.url}`, { method: r.method, headers, body: r.body });
    status = res.status;
    text = await res.text();
  } catch (e) {
    status = 0; // the connection failed
    text = (e as Error).message;
  }
  counts.set(status, (counts.get(status) ?? 0) + 1);
  if (status >= 500 || status === 0 || LEAKS.test(text)) bad.push(`${status} ${r.method} ${r.url.slice(0, 120)}`);
}
const seconds = (Date.now() - started) / 1000;
console.log(`${requests.length} requests in ${seconds.toFixed(1)} s`);
for (const [status, n] of [...counts.entries()].sort((a, b) => a[0] - b[0]))
  console.log(`${String(status || "no answer").padEnd(10)} ${n}`);
if (bad.length) {
  console.log(`\n${bad.length} answers were a 5xx, no answer, or showed a stack or a query:`);
  for (const line of bad.slice(0, 20)) console.log(`  ${line}`);
  process.exitCode = 1;
}
