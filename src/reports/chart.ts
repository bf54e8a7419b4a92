// A grouped bar chart for report emails, drawn on the server: Vega-Lite
// compiles the spec, Vega lays it out headless (renderer "none") and writes
// SVG, and resvg rasterises that SVG to PNG at twice the size for sharpness.
//
// No system font is relied on (CI may have none): resvg loads Noto Sans from
// the @expo-google-fonts/noto-sans package, and the Vega config names the same
// family, so the PNG has its text wherever it is drawn. Vega measures text
// without a canvas (an estimate of 0.8 em a character, wider than Noto Sans),
// so the layout depends on nothing installed on the machine either: the same
// input gives the same bytes.
import { createRequire } from "node:module";
import type { TopLevelSpec } from "vega-lite";
import { shortMonth } from "../domain/report/period.ts";

export interface StageSeries {
  /** the key `counts` use, e.g. 1 or "cafcass" */
  stage: number | string;
  /** what the legend says, e.g. "Stage 1" or "Contact with Cafcass" */
  label: string;
}

export interface BarChartInput {
  /** e.g. "Disputes entering each stage, by month" */
  title: string;
  /** the count axis's title (default "Disputes"; WF counts "Alerts") */
  yTitle?: string;
  /** "2027-01", in the order drawn; shown as "Jan 2027" */
  months: string[];
  /** one bar in each month for each, in legend order */
  series: StageSeries[];
  /** a month and stage missing here counts 0 */
  counts: { month: string; stage: number | string; count: number }[];
}

export interface Chart {
  svg: string;
  /** drawn at PNG_SCALE times width × height */
  png: Buffer;
  /** CSS px of the drawn chart, legend and titles included */
  width: number;
  height: number;
}

/** The PNG has this many pixels for each CSS px of the chart. */
export const PNG_SCALE = 2;

/** The family Vega writes into the SVG and resvg draws it with. */
export const CHART_FONT_FAMILY = "Noto Sans";

/** GOV.UK colours (blue, dark blue, turquoise, orange, red, purple, dark grey), cycled past seven series. */
export const SERIES_COLOURS = ["#1d70b8", "#003078", "#28a197", "#f47738", "#d4351c", "#6f72af", "#505a5f"] as const;

const TEXT_COLOUR = "#0b0c0c"; // GOV.UK text
const CHART_WIDTH = 600; // the whole chart, legend and padding included
const PLOT_HEIGHT = 260;
const Y_TICKS = 6;

const require = createRequire(import.meta.url);
/** The TTF files of CHART_FONT_FAMILY: regular for labels, bold for the title. */
export const CHART_FONT_FILES: readonly string[] = [
  require.resolve("@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf"),
  require.resolve("@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf"),
];

/** "2027-01" → "Jan 2027"; anything else is an error. */
export function monthLabel(month: string): string {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new Error(`barChart: month ${JSON.stringify(month)} is not of the form YYYY-MM`);
  return shortMonth(month);
}

interface Datum {
  month: string;
  series: string;
  count: number;
}

/** One datum for every month and series, in drawing order; throws on anything it would otherwise have to drop or guess. */
function tabulate(input: BarChartInput): { data: Datum[]; monthLabels: string[]; seriesLabels: string[] } {
  if (input.months.length === 0) throw new Error("barChart: months is empty; there is nothing to draw");
  if (input.series.length === 0) throw new Error("barChart: series is empty; there is nothing to draw");

  const monthLabels = input.months.map(monthLabel);
  const monthIndex = new Map<string, number>();
  input.months.forEach((m, i) => {
    if (monthIndex.has(m)) throw new Error(`barChart: month ${m} is listed twice`);
    monthIndex.set(m, i);
  });

  const seriesIndex = new Map<string, number>();
  const seriesLabels: string[] = [];
  input.series.forEach((s, i) => {
    const key = String(s.stage);
    if (seriesIndex.has(key)) throw new Error(`barChart: stage ${key} is listed twice in series`);
    if (s.label.trim() === "") throw new Error(`barChart: stage ${key} has an empty label`);
    if (seriesLabels.includes(s.label)) throw new Error(`barChart: label ${JSON.stringify(s.label)} is used by two series`);
    seriesIndex.set(key, i);
    seriesLabels.push(s.label);
  });

  const grid: (number | undefined)[][] = input.months.map(() => input.series.map(() => undefined));
  for (const c of input.counts) {
    const mi = monthIndex.get(c.month);
    if (mi === undefined) throw new Error(`barChart: a count is for month ${JSON.stringify(c.month)}, which is not in months`);
    const si = seriesIndex.get(String(c.stage));
    if (si === undefined) throw new Error(`barChart: a count is for stage ${JSON.stringify(c.stage)}, which is not in series`);
    if (!Number.isSafeInteger(c.count) || c.count < 0) {
      throw new Error(`barChart: count for ${c.month}, stage ${c.stage} is ${c.count}; counts are whole numbers, 0 or more`);
    }
    const row = grid[mi]!;
    if (row[si] !== undefined) throw new Error(`barChart: two counts are for ${c.month}, stage ${c.stage}`);
    row[si] = c.count;
  }

  const data: Datum[] = [];
  grid.forEach((row, mi) => {
    row.forEach((count, si) => {
      data.push({ month: monthLabels[mi]!, series: seriesLabels[si]!, count: count ?? 0 });
    });
  });
  return { data, monthLabels, seriesLabels };
}

function spec(input: BarChartInput, t: ReturnType<typeof tabulate>): TopLevelSpec {
  const max = Math.max(0, ...t.data.map((d) => d.count));
  const colours = t.seriesLabels.map((_, i) => SERIES_COLOURS[i % SERIES_COLOURS.length]!);
  return {
    title: input.title,
    description: input.title,
    background: "white",
    padding: 12,
    width: CHART_WIDTH,
    height: PLOT_HEIGHT,
    autosize: { type: "fit-x", contains: "padding" },
    data: { values: t.data },
    mark: { type: "bar" },
    encoding: {
      x: {
        field: "month",
        type: "nominal",
        sort: t.monthLabels,
        title: "Month",
        scale: { paddingInner: 0.25, paddingOuter: 0.15 },
        axis: { labelAngle: t.monthLabels.length > 6 ? -45 : 0, ticks: false },
      },
      xOffset: { field: "series", type: "nominal", title: "Stage", sort: t.seriesLabels, scale: { paddingInner: 0.08 } },
      y: {
        field: "count",
        type: "quantitative",
        title: input.yTitle ?? "Disputes",
        // The top of the axis is a labelled tick (nice to the axis' tick count); all
        // zeros still get an axis from 0 to 1 rather than a collapsed one.
        scale: max === 0 ? { domain: [0, 1] } : { zero: true, nice: Y_TICKS },
        axis: { tickCount: Y_TICKS, tickMinStep: 1, format: ",d" },
      },
      color: {
        field: "series",
        type: "nominal",
        title: "Stage",
        sort: t.seriesLabels,
        scale: { domain: t.seriesLabels, range: colours },
        legend: { title: null, orient: "bottom", direction: "horizontal", columns: Math.min(2, t.seriesLabels.length) },
      },
    },
    config: {
      // Noto Sans first (the one resvg has); the rest for anything that shows the SVG itself
      font: `'${CHART_FONT_FAMILY}', Arial, sans-serif`,
      view: { stroke: null },
      title: { fontSize: 16, anchor: "start", color: TEXT_COLOUR, offset: 12 },
      axis: {
        labelFontSize: 12,
        titleFontSize: 13,
        labelColor: TEXT_COLOUR,
        titleColor: TEXT_COLOUR,
        domainColor: "#505a5f",
        tickColor: "#505a5f",
        gridColor: "#dddddd",
        labelLimit: 0,
      },
      legend: { labelFontSize: 12, labelColor: TEXT_COLOUR, labelLimit: 0, symbolType: "square", symbolSize: 150, columnPadding: 16 },
    },
  };
}

/** The size the SVG declares on its root element. */
function svgSize(svg: string): { width: number; height: number } {
  const root = /^<svg\b[^>]*>/.exec(svg)?.[0] ?? "";
  const width = Number(/\swidth="([\d.]+)"/.exec(root)?.[1]);
  const height = Number(/\sheight="([\d.]+)"/.exec(root)?.[1]);
  if (!(width > 0 && height > 0)) throw new Error("barChart: Vega's SVG has no width and height");
  return { width, height };
}

/** Draws a grouped bar chart (a group of bars per month, a bar per series) as SVG and as PNG. */
export async function barChart(input: BarChartInput): Promise<Chart> {
  // loaded when a report is drawn (once a month or a quarter), not at every start
  const [{ renderAsync }, { parse, View }, { compile }] = await Promise.all([
    import("@resvg/resvg-js"),
    import("vega"),
    import("vega-lite"),
  ]);
  const t = tabulate(input);
  const view = new View(parse(compile(spec(input, t)).spec), { renderer: "none" });
  let svg: string;
  try {
    svg = await view.toSVG();
  } finally {
    view.finalize();
  }
  const { width, height } = svgSize(svg);
  const image = await renderAsync(svg, {
    fitTo: { mode: "zoom", value: PNG_SCALE },
    background: "white",
    font: { fontFiles: [...CHART_FONT_FILES], loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY },
    logLevel: "off",
  });
  if (image.width !== Math.ceil(width * PNG_SCALE) || image.height !== Math.ceil(height * PNG_SCALE)) {
    throw new Error(`barChart: PNG is ${image.width}×${image.height}, expected ${PNG_SCALE}× the SVG's ${width}×${height}`);
  }
  return { svg, png: image.asPng(), width, height };
}
