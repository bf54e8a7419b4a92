// axe-core in a real browser page: every WCAG 2.2 A and AA rule, at the two
// widths the pages are read at (1000 px, and 390 px for a phone). The page's
// context must bypass the pages' CSP (no scripts) to let axe in.
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { expect } from "vitest";

const require = createRequire(import.meta.url);

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  return page.evaluate(async () => {
    type Violation = { id: string; help: string; nodes: { target: string[] }[] };
    const r = await (globalThis as unknown as { axe: { run: (o: object) => Promise<{ violations: Violation[] }> } }).axe.run({
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  });
}

/** Checks the page at both widths; with DRP_SCREENSHOTS=<dir>, keeps a picture of each. */
export async function accessible(page: Page, name: string): Promise<void> {
  for (const width of [1000, 390]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await axeViolations(page), `${name} at ${width} px`).toEqual([]);
    if (process.env.DRP_SCREENSHOTS) await page.screenshot({ path: `${process.env.DRP_SCREENSHOTS}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1000, height: 900 });
}
