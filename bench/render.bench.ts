// Emails rendered per second (HTML and text): MJML compiled once per kind at
// start-up, then a Handlebars fill per email, versus filling the MJML source
// with Handlebars and running MJML for every email.
import { performance } from "node:perf_hooks";
import { EMAIL_KINDS } from "../src/mail/model.ts";
import { createRenderer, renderWithMjmlPerEmail } from "../src/mail/render.ts";
import { sampleView } from "../test/support/email-view.ts";
import { type Benchmark, opsPerSecond, result } from "./harness.ts";

// One view per kind, the same for both ways.
const views = EMAIL_KINDS.map((kind) => sampleView({ kind, banners: kind === "overdue" ? ["No one holds the role Team Manager."] : [] }));
const view = (i: number) => views[i % views.length]!;

/** opsPerSecond for an async op: run one at a time for at least `ms` milliseconds. */
async function asyncOpsPerSecond(op: (i: number) => Promise<unknown>, ms = 1000, minOps = 5): Promise<number> {
  for (let i = 0; i < 3; i++) await op(i); // warm up
  let ops = 0;
  const start = performance.now();
  while (performance.now() - start < ms || ops < minOps) await op(ops++);
  return (ops / (performance.now() - start)) * 1000;
}

export const renderBenchmark: Benchmark = {
  name: "render",
  async run() {
    const renderer = await createRenderer();
    let sink = 0;
    const ours = opsPerSecond((i) => {
      const r = renderer.render(view(i));
      sink += r.html.length + r.text.length;
    }, 1000);
    const naive = await asyncOpsPerSecond(async (i) => {
      const r = await renderWithMjmlPerEmail(view(i));
      sink += r.html.length + r.text.length;
    });
    if (sink === 0) throw new Error("unreachable");
    return [result("render.emails_per_second.html_and_text", "ops/s", ours, naive)];
  },
};
