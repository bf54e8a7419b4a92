// Turns an EmailView into HTML and plain text. Running MJML takes milliseconds,
// so each kind's MJML template is compiled once, at start-up, into HTML that
// still holds Handlebars placeholders; an email is then only a Handlebars fill,
// which also HTML-escapes every value (the way n8n's user-management mailer works).
// The build keeps MJML's output (dist/templates.json, `drp templates compile`),
// so that the app loads no MJML at all unless a template has changed since.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import Handlebars from "handlebars";
import { appPath } from "../paths.ts";
import { EMAIL_KINDS, type EmailKind, type EmailView } from "./model.ts";

export interface RenderedEmail {
  html: string;
  text: string;
}

export interface Renderer {
  render(view: EmailView): RenderedEmail;
  readonly kinds: readonly EmailKind[];
}

type Fill = (view: EmailView) => string;
type CompileOptions = Parameters<typeof Handlebars.compile>[1];

const DEFAULT_TEMPLATES_DIR = appPath("templates");

// strict: a misspelt placeholder throws rather than leaving a silent gap.
// The text part is not HTML, so it must not be HTML-escaped.
const HTML_OPTIONS = { strict: true };
const TEXT_OPTIONS = { strict: true, noEscape: true };

/** Compiles every kind's templates once; `render` is then synchronous and cheap. */
export async function createRenderer(templatesDir = DEFAULT_TEMPLATES_DIR): Promise<Renderer> {
  const hb = await textEnvironment(templatesDir);
  const built = await builtHtml(templatesDir);
  const compiled = new Map<EmailKind, { html: Fill; text: Fill }>();
  const byFile = new Map<string, { html: Fill; text: Fill }>(); // kinds sharing email.mjml compile it once
  for (const kind of EMAIL_KINDS) {
    const file = mjmlFile(templatesDir, kind);
    const textFile = textFileFor(templatesDir, kind);
    const cached = byFile.get(`${file}|${textFile}`);
    if (cached) {
      compiled.set(kind, cached);
      continue;
    }
    const html = built?.[path.relative(templatesDir, file)] ?? (await mjmlToHtml(await readTemplate(file, kind), file));
    // Every email leads with its heading; this also catches an edit that dropped the intro.
    if (!html.includes("{{nobreak heading")) throw new Error(`MJML template ${file} has no {{nobreak heading reference}}`);
    const fills = {
      html: compile(hb, html, file, HTML_OPTIONS),
      text: compile(hb, await readTemplate(textFile, kind), textFile, TEXT_OPTIONS),
    };
    byFile.set(`${file}|${textFile}`, fills);
    compiled.set(kind, fills);
  }
  return {
    kinds: [...compiled.keys()],
    render(view) {
      const t = compiled.get(view.kind);
      if (!t) throw new Error(`No email template for kind "${view.kind}"`);
      const v = safe(view);
      return { html: t.html(v), text: tidy(t.text(v)) };
    },
  };
}

/** Where the build keeps MJML's output, with a hash of the templates it came from. */
export const BUILT_TEMPLATES = appPath("dist", "templates.json");

interface BuiltTemplates {
  /** of every file under the templates folder (but pages/), so that an edit since the build is noticed */
  hash: string;
  /** MJML's HTML (Handlebars placeholders kept), by template file relative to the folder */
  html: Record<string, string>;
}

/** MJML's output for every template file a kind uses, written for the app to load (npm run build). */
export async function writeBuiltTemplates(templatesDir = DEFAULT_TEMPLATES_DIR, out = BUILT_TEMPLATES): Promise<string[]> {
  const html: Record<string, string> = {};
  for (const kind of EMAIL_KINDS) {
    const file = mjmlFile(templatesDir, kind);
    html[path.relative(templatesDir, file)] ??= await mjmlToHtml(await readTemplate(file, kind), file);
  }
  await writeFile(out, JSON.stringify({ hash: await templatesHash(templatesDir), html } satisfies BuiltTemplates));
  await chmod(out, 0o644); // part of the code, not of the data: readable by the user the image runs as
  return Object.keys(html);
}

/** The build's HTML, if it was made from the templates as they are now. */
async function builtHtml(templatesDir: string): Promise<Record<string, string> | undefined> {
  if (!existsSync(BUILT_TEMPLATES)) return undefined;
  try {
    const built = JSON.parse(await readFile(BUILT_TEMPLATES, "utf8")) as BuiltTemplates;
    return built.hash === (await templatesHash(templatesDir)) ? built.html : undefined;
  } catch {
    return undefined; // unreadable: compiled afresh, as without a build
  }
}

async function templatesHash(dir: string): Promise<string> {
  const h = createHash("sha256");
  const files = (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .filter((f) => !f.startsWith(`pages${path.sep}`))
    .sort();
  for (const f of files)
    h.update(`${f}\0`)
      .update(await readFile(path.join(dir, f)))
      .update("\0");
  return h.digest("hex");
}

/** The naive way, kept for the benchmark: fill the MJML with Handlebars, then run MJML, for every email. */
export async function renderWithMjmlPerEmail(view: EmailView, templatesDir = DEFAULT_TEMPLATES_DIR): Promise<RenderedEmail> {
  const v = safe(view);
  const file = mjmlFile(templatesDir, view.kind);
  const hb = await textEnvironment(templatesDir);
  // A preprocessor, so that the mj-include'd partials are filled too.
  const fill = (xml: string) => hb.compile(xml, HTML_OPTIONS)(v);
  const html = await mjmlToHtml(await readTemplate(file, view.kind), file, [fill]);
  const textFile = textFileFor(templatesDir, view.kind);
  return { html, text: tidy(compile(hb, await readTemplate(textFile, view.kind), textFile, TEXT_OPTIONS)(v)) };
}

/** templates/<kind>.mjml if a kind has its own, else the shared templates/email.mjml. */
function mjmlFile(dir: string, kind: EmailKind): string {
  const own = path.join(dir, `${kind}.mjml`);
  return existsSync(own) ? own : path.join(dir, "email.mjml");
}

function textFileFor(dir: string, kind: EmailKind): string {
  const own = path.join(dir, "text", `${kind}.txt`);
  return existsSync(own) ? own : path.join(dir, "text", "email.txt");
}

async function readTemplate(file: string, kind: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    throw new Error(`No email template for kind "${kind}": cannot read ${file}`, { cause: e });
  }
}

async function mjmlToHtml(source: string, file: string, preprocessors: ((xml: string) => string)[] = []): Promise<string> {
  // loaded only here: the app started from a build never needs it
  const { default: mjml2html } = await import("mjml");
  try {
    // mjml 5 skips mj-include unless told not to; "strict" refuses invalid MJML instead of guessing.
    const out = await mjml2html(source, {
      filePath: file,
      ignoreIncludes: false,
      validationLevel: "strict",
      keepComments: false,
      preprocessors,
    });
    if (out.errors.length > 0) throw new Error(out.errors.map((e) => e.formattedMessage).join("\n"));
    // The validator lets a missing or refused mj-include through, leaving only this comment behind.
    const lost = out.html.match(/<!-- mj-include [^>]*-->/);
    if (lost) throw new Error(`an mj-include is missing or outside the templates folder (${lost[0]})`);
    return out.html;
  } catch (e) {
    throw new Error(`MJML template ${file} is invalid: ${(e as Error).message}`, { cause: e });
  }
}

/** Parses now, so a Handlebars syntax error stops start-up and names the file. */
function compile(hb: typeof Handlebars, source: string, file: string, options: CompileOptions): Fill {
  try {
    hb.parse(source);
  } catch (e) {
    throw new Error(`Handlebars error in ${file}: ${(e as Error).message}`, { cause: e });
  }
  return hb.compile<EmailView>(source, options);
}

/**
 * A private Handlebars with the text partials (text/partials/<name>.txt as
 * {{> name}}) and `nobreak`, which escapes a heading and keeps the dispute's
 * reference on one line (a narrow screen would break BIR-2026-0042 at a hyphen).
 */
async function textEnvironment(dir: string): Promise<typeof Handlebars> {
  const hb = Handlebars.create();
  hb.registerHelper("nobreak", (text: unknown, ref: unknown) => {
    const escaped = hb.escapeExpression(String(text ?? ""));
    if (typeof ref !== "string" || !ref) return new hb.SafeString(escaped);
    const r = hb.escapeExpression(ref);
    return new hb.SafeString(escaped.split(r).join(`<span style="white-space:nowrap">${r}</span>`));
  });
  const partials = path.join(dir, "text", "partials");
  for (const name of (await readdir(partials)).filter((n) => n.endsWith(".txt"))) {
    const file = path.join(partials, name);
    hb.registerPartial(name.slice(0, -".txt".length), compile(hb, await readFile(file, "utf8"), file, TEXT_OPTIONS));
  }
  return hb;
}

/**
 * Only http(s) case links: a javascript: URL would survive HTML escaping and
 * still run. Every optional part present (strict templates refuse a missing key).
 */
function safe(view: EmailView): EmailView {
  const blocks = (view.blocks ?? []).map((b) => ({ heading: undefined, paragraph: undefined, table: undefined, figure: undefined, ...b }));
  const caseUrl = view.caseUrl === undefined || /^https?:\/\//i.test(view.caseUrl) ? view.caseUrl : undefined;
  return {
    ...view,
    caseUrl,
    blocks,
    actions: view.actions ?? [],
    actionsNote: view.actionsNote,
    referenceLabel: view.referenceLabel ?? "Dispute reference",
  };
}

/** Text templates stay readable with spare blank lines; the email gets at most one in a row. */
function tidy(text: string): string {
  return `${text
    .replace(/[ \t]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim()}\n`;
}
