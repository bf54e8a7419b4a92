import { existsSync } from "node:fs";
import { Resvg } from "@resvg/resvg-js";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type BarChartInput,
  barChart,
  CHART_FONT_FAMILY,
  CHART_FONT_FILES,
  type Chart,
  monthLabel,
  PNG_SCALE,
  SERIES_COLOURS,
} from "../../src/reports/chart.ts";

const SERIES = [
  { stage: 1, label: "Stage 1" },
  { stage: 2, label: "Stage 2" },
  { stage: 3, label: "Stage 3" },
  { stage: "cafcass", label: "Contact with Cafcass" },
  { stage: 4, label: "Stage 4" },
  { stage: 5, label: "Legal advice" },
];
const MONTHS = ["2027-01", "2027-02", "2027-03"];

/** 3 months × 6 series, every count given and none the same in a month. */
function input(): BarChartInput {
  return {
    title: "Disputes entering each stage, by month",
    months: MONTHS,
    series: SERIES,
    counts: MONTHS.flatMap((month, m) => SERIES.map((s, i) => ({ month, stage: s.stage, count: (m * 6 + i) % 5 }))),
  };
}

function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.subarray(12, 16).toString("latin1")).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** The bars: the items of Vega's rect marks (`<g class="mark-rect role-mark …">` holding a `<path>` each). */
function barPaths(svg: string): string[] {
  const groups = [...svg.matchAll(/<g class="mark-rect role-mark[^"]*"[^>]*>(.*?)<\/g>/g)];
  expect(groups.length).toBe(1);
  return [...groups[0]![1]!.matchAll(/<path\b[^>]*>/g)].map((m) => m[0]);
}

function texts(svg: string): string[] {
  return [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
}

/** The SVG drawn as barChart draws it, with these fonts only. */
function draw(svg: string, fontFiles: string[]) {
  return new Resvg(svg, {
    fitTo: { mode: "zoom", value: PNG_SCALE },
    background: "white",
    font: { fontFiles, loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY },
    logLevel: "off",
  }).render();
}

function differingPixels(a: Buffer, b: Buffer): number {
  expect(a.length).toBe(b.length);
  let n = 0;
  for (let i = 0; i < a.length; i += 4) {
    if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2] || a[i + 3] !== b[i + 3]) n++;
  }
  return n;
}

describe("barChart", () => {
  let chart: Chart;
  beforeAll(async () => {
    chart = await barChart(input());
  });

  it("draws a PNG at twice the chart's size, about 600 px wide", () => {
    expect(chart.width).toBeGreaterThanOrEqual(560);
    expect(chart.width).toBeLessThanOrEqual(640);
    expect(chart.height).toBeGreaterThan(200);
    expect(pngSize(chart.png)).toEqual({ width: 2 * chart.width, height: 2 * chart.height });
    const root = /^<svg\b[^>]*>/.exec(chart.svg)![0];
    expect(root).toContain(`width="${chart.width}"`);
    expect(root).toContain(`height="${chart.height}"`);
  });

  it("labels the months, the legend and the axes", () => {
    const shown = texts(chart.svg);
    for (const m of ["Jan 2027", "Feb 2027", "Mar 2027"]) expect(shown).toContain(m);
    for (const s of SERIES) expect(shown).toContain(s.label);
    expect(shown).toContain("Month");
    expect(shown).toContain("Disputes");
    expect(shown).toContain("Disputes entering each stage, by month");
    expect(shown).not.toContain("2027-01");
  });

  it("draws one bar for each month and series, in the GOV.UK colours in legend order", () => {
    const bars = barPaths(chart.svg);
    expect(bars).toHaveLength(MONTHS.length * SERIES.length);
    const fills = bars.map((b) => /fill="([^"]+)"/.exec(b)?.[1]);
    expect(fills.slice(0, SERIES.length)).toEqual(SERIES_COLOURS.slice(0, SERIES.length));
    expect(bars[3]).toContain("Month: Jan 2027; Disputes: 3; Stage: Contact with Cafcass");
  });

  it("keeps the months and the series in the order given, not alphabetical", () => {
    const shown = texts(chart.svg);
    expect(shown.filter((t) => t.endsWith(" 2027"))).toEqual(["Jan 2027", "Feb 2027", "Mar 2027"]);
    expect(shown.filter((t) => SERIES.some((s) => s.label === t))).toEqual(SERIES.map((s) => s.label));
    // bars come month by month, series by series (the data's order): left to right they are the same order
    const left = barPaths(chart.svg).map((b) => Number(/ d="M([\d.]+),/.exec(b)?.[1]));
    expect(left.every((x, i) => i === 0 || x > left[i - 1]!)).toBe(true);
  });

  it("labels the count axis with whole numbers only", () => {
    const numbers = texts(chart.svg).filter((t) => /^[\d.,]+$/.test(t));
    expect(numbers).toEqual(["0", "1", "2", "3", "4"]);
  });

  it("writes text 12 px or larger, in the font it loads, on white", () => {
    const sizes = [...chart.svg.matchAll(/font-size="([\d.]+)px"/g)].map((m) => Number(m[1]));
    expect(sizes.length).toBeGreaterThan(10);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(12);
    const families = new Set([...chart.svg.matchAll(/font-family="([^"]+)"/g)].map((m) => m[1]));
    expect([...families]).toEqual([`'${CHART_FONT_FAMILY}', Arial, sans-serif`]);
    expect(chart.svg).toMatch(/^<svg\b[^>]*><rect width="\d+" height="\d+" fill="white"\/>/);
    for (const f of CHART_FONT_FILES) expect(existsSync(f)).toBe(true);
  });

  it("draws the text with the font it ships, not a system font", () => {
    const withFont = draw(chart.svg, [...CHART_FONT_FILES]);
    const noFont = draw(chart.svg, []);
    const noText = draw(chart.svg.replace(/<text\b[^>]*>[^<]*<\/text>/g, ""), [...CHART_FONT_FILES]);
    // with no font resvg draws no text at all: the same pixels as the SVG with its text removed
    expect(differingPixels(noFont.pixels, noText.pixels)).toBe(0);
    // with the font, text is drawn: thousands of pixels differ (labels, legend, titles)
    expect(differingPixels(withFont.pixels, noFont.pixels)).toBeGreaterThan(5_000);
    // and the PNG barChart returns is the one with the text
    expect(chart.png.equals(withFont.asPng())).toBe(true);
    expect(chart.png.equals(noFont.asPng())).toBe(false);
  });

  it("gives the same bytes for the same input, and different bytes for different counts", async () => {
    const again = await barChart(input());
    expect(again.svg).toBe(chart.svg);
    expect(again.png.equals(chart.png)).toBe(true);
    const changed = input();
    changed.counts[0]!.count += 1;
    const other = await barChart(changed);
    expect(other.png.equals(chart.png)).toBe(false);
    expect(other.svg).not.toBe(chart.svg);
  });

  it("draws a single month with every count 0 (missing counts are 0)", async () => {
    const c = await barChart({ title: "Nothing yet", months: ["2027-05"], series: SERIES.slice(0, 2), counts: [] });
    expect(pngSize(c.png)).toEqual({ width: 2 * c.width, height: 2 * c.height });
    const bars = barPaths(c.svg);
    expect(bars).toHaveLength(2);
    for (const b of bars) expect(b).toContain("Disputes: 0;");
    const shown = texts(c.svg);
    expect(shown).toContain("May 2027");
    expect(shown.filter((t) => /^[\d.,]+$/.test(t))).toEqual(["0", "1"]);
  });

  it("cycles the colours past seven series", async () => {
    const series = Array.from({ length: 9 }, (_, i) => ({ stage: i, label: `Series ${i}` }));
    const c = await barChart({ title: "Many", months: ["2027-01"], series, counts: [] });
    const fills = barPaths(c.svg).map((b) => /fill="([^"]+)"/.exec(b)?.[1]);
    expect(fills).toEqual([...SERIES_COLOURS, SERIES_COLOURS[0], SERIES_COLOURS[1]]);
  });

  it("throws a clear error rather than drop or guess", async () => {
    const base = input();
    await expect(barChart({ ...base, months: [] })).rejects.toThrow(/months is empty/);
    await expect(barChart({ ...base, series: [] })).rejects.toThrow(/series is empty/);
    await expect(barChart({ ...base, months: ["2027-1"] })).rejects.toThrow(/"2027-1" is not of the form YYYY-MM/);
    await expect(barChart({ ...base, months: ["2027-01", "2027-01"] })).rejects.toThrow(/listed twice/);
    await expect(barChart({ ...base, counts: [{ month: "2027-04", stage: 1, count: 1 }] })).rejects.toThrow(/not in months/);
    await expect(barChart({ ...base, counts: [{ month: "2027-01", stage: 9, count: 1 }] })).rejects.toThrow(/not in series/);
    await expect(barChart({ ...base, counts: [{ month: "2027-01", stage: 1, count: -1 }] })).rejects.toThrow(/whole numbers/);
    await expect(barChart({ ...base, counts: [{ month: "2027-01", stage: 1, count: 1.5 }] })).rejects.toThrow(/whole numbers/);
    await expect(barChart({ ...base, counts: [...base.counts, base.counts[0]!] })).rejects.toThrow(/two counts/);
  });
});

describe("monthLabel", () => {
  it("names the month in English", () => {
    expect(monthLabel("2027-01")).toBe("Jan 2027");
    expect(monthLabel("2026-12")).toBe("Dec 2026");
    expect(() => monthLabel("2027-13")).toThrow(/YYYY-MM/);
  });
});
