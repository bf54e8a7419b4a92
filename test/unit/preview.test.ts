// Every email every authority can send — each kind, at each stage of each
// procedure, in the version its recipient, the people copied and the
// instigator read — rendered and read for the mistakes a person would trip on.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { authorities } from "../../src/config/authorities.ts";
import { NOTIFICATION_KINDS } from "../../src/domain/planner.ts";
import { writeAllPreviews } from "../../src/mail/preview-site.ts";
import { registerSamples } from "../../src/mail/register-samples.ts";
import { createRenderer, type Renderer } from "../../src/mail/render.ts";
import { reviewSamples } from "../../src/mail/review-samples.ts";
import { allSamples, type Sample } from "../../src/mail/samples.ts";
import { reportSamples } from "../../src/reports/preview.ts";

let renderer: Renderer;
const all: (Sample & { text: string; html: string })[] = [];

beforeAll(async () => {
  renderer = await createRenderer();
  for (const a of authorities().values()) {
    for (const s of [...allSamples(a), ...(await reportSamples(a)), ...reviewSamples(a), ...registerSamples(a)])
      all.push({ ...s, ...renderer.render(s.view) });
  }
}, 30_000);

const where = (s: Sample) => `${s.authority}/${s.procedure}/${s.kind}-s${s.stage}-${s.audience}`;
const LONG_DATE = /(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} \w+ \d{4}/g;

describe("opening an email", () => {
  it("fetches nothing: no web font, stylesheet, image or script from anywhere; the only addresses are the links a reader follows", () => {
    for (const s of all) {
      expect(s.html, where(s)).not.toMatch(/<link\b[^>]*href=["']?https?:/i);
      expect(s.html, where(s)).not.toMatch(/\bsrc=["']?https?:/i);
      expect(s.html, where(s)).not.toMatch(/@import|url\(\s*["']?https?:/i);
      // every other address is a link shown in the text part too (the case record, a button's page)
      for (const [u] of s.html.matchAll(/https?:\/\/[^"'\s<>)]+/g))
        if (!u.startsWith("http://www.w3.org/")) expect(s.text, `${where(s)}: ${u}`).toContain(u.replaceAll("&amp;", "&"));
    }
  });
});

describe("abbreviations", () => {
  it("each is spelled out once in an email's body, at its first use outside another parenthesis; never twice, never nested", () => {
    let spelled = 0;
    for (const s of all) {
      if (s.kind.startsWith("report")) continue;
      const a = authorities().get(s.authority)!;
      const terms = a.procedures[s.procedure.replace(/-review$/, "") as "iro" | "cp"]!.terms;
      // the names in "Also sent to" are the directory's, not the procedure's words
      const lists = s.view.lists.filter((l) => l.lead !== "Also sent to:");
      const also = s.view.lists.find((l) => l.lead === "Also sent to:")?.items ?? [];
      const names = [s.view.instigator.name, ...s.view.recipient.name.split(", "), ...also.map((i) => i.split(", ")[0]!)];
      const body = names
        .filter(Boolean)
        .reduce(
          (x, n) => x.replaceAll(n, "NAME"),
          [...s.view.paragraphs, ...lists.flatMap((l) => [l.lead, ...l.items]), s.view.inset ?? ""].join("\n"),
        )
        // words in quotation marks are quoted as they are (a procedure's title)
        .replace(/"[^"\n]*"|“[^”]*”/g, "QUOTED");
      for (const [abbr, full] of Object.entries(terms.abbreviations)) {
        const bare = full.replace(/^the /i, "");
        const esc = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        const times = [...body.matchAll(new RegExp(`${esc(bare)}( \\(${esc(abbr)}\\)|, ${esc(abbr)}\\))`, "gi"))].length;
        expect(times, `${where(s)}: ${abbr}`).toBeLessThanOrEqual(1);
        spelled += times;
        const uses = [...body.matchAll(new RegExp(`(?<![\\w@./-])${esc(abbr)}(?![\\w@-])`, "g"))];
        // used outside a parenthesis, not as part of a name ("Cafcass Legal"): said what it stands for
        const outside = uses.some((m) => {
          const before = body.slice(0, m.index);
          if (/^ [A-Z]/.test(body.slice(m.index + m[0].length))) return false;
          return [...before].reduce((n, c) => n + (c === "(" ? 1 : c === ")" ? -1 : 0), 0) === 0;
        });
        if (outside) expect(new RegExp(`${esc(bare)} \\(|${esc(bare)}, ${esc(abbr)}`, "i").test(body), `${where(s)}: ${abbr}`).toBe(true);
        expect(body, where(s)).not.toContain(`(${abbr}))`);
      }
    }
    expect(spelled).toBeGreaterThan(500);
  });
});

describe("report emails", () => {
  it("every authority's reports, with a chart for each procedure and its figures in a table; WF's holder list", () => {
    const reports = all.filter((s) => s.kind === "report");
    expect(new Set(reports.map((s) => s.authority))).toEqual(new Set(["birmingham", "gloucestershire", "wf", "newham", "national"]));
    for (const s of reports) {
      for (const f of s.files ?? []) expect(s.html, where(s)).toContain(`src="cid:${f.cid}"`);
      expect(s.files?.length, where(s)).toBeGreaterThan(0);
      expect(s.html, where(s)).toMatch(/<caption[^>]*>(Disputes|Alerts|Concerns) entering each (stage|level), by month<\/caption>/);
      expect(s.text, where(s)).toMatch(/Month: \w{3} 2027 \| .*Contact with Cafcass: \d+ \| Total: \d+/);
      // a Total row where the period has more than one month
      // a quarter's grid ends in a Total row (a month's has one row only)
      if (/ to \w+ 2027/.test(s.view.heading)) expect(s.text, where(s)).toMatch(/Month: Total \| /);
      // each team's categories are named by their number in the by-category table, in
      // order, and no team counts more of a category than the table does
      for (const part of s.text.split(/\n(?=By category \()/).slice(1)) {
        const byNo = new Map([...part.matchAll(/^- No\.: (\d+) \| Category: .* \| Number: (\d+) \|/gm)].map((m) => [m[1], Number(m[2])]));
        const teams = part.split(/\nBy team\n/)[1]?.split(/\n\n/)[0] ?? "";
        const summed = new Map<string, number>();
        for (const row of teams.matchAll(/By category: (.*)$/gm)) {
          const nos = [...row[1]!.matchAll(/No\.\s(\d+):\s(\d+)/g)];
          expect(
            nos.map((m) => Number(m[1])),
            where(s),
          ).toEqual(nos.map((m) => Number(m[1])).sort((a, b) => a - b));
          for (const m of nos) summed.set(m[1]!, (summed.get(m[1]!) ?? 0) + Number(m[2]));
        }
        for (const [no, c] of summed) expect(c, `${where(s)} No. ${no}`).toBeLessThanOrEqual(byNo.get(no) ?? -1);
      }
    }
    // each procedure's block in its own words: Newham's CP timescales are set by the CP Chair, and answered concerns are with them
    const newham = reports.find((s) => s.authority === "newham")!.text;
    const cp = newham.slice(newham.indexOf("Dispute Resolution Process (CP Chair)\n"));
    expect(cp).toMatch(/set by the CP Chair/);
    expect(cp).toMatch(/answered; with the CP Chair/);
    expect(cp.split(/\nDispute Resolution Process \(IRO\)\n/)[0]).not.toMatch(/set by the IRO|with the IRO\b/);
    const holders = all.filter((s) => s.kind === "report_holder_list");
    expect(holders.map((s) => s.authority)).toEqual(["wf"]);
    expect(holders[0]!.text).toMatch(/You hold \d+ outstanding alerts?: end of March 2027/);
  });
});

describe("review emails", () => {
  it("every kind each review deadline sends, for WF and Gloucestershire only, each with its review's reference", () => {
    const reviews = all.filter((s) => s.kind.startsWith("review_"));
    expect(new Set(reviews.map((s) => s.authority))).toEqual(new Set(["wf", "gloucestershire"]));
    expect(new Set(reviews.map((s) => s.kind))).toEqual(new Set(["review_due", "review_reminder", "review_overdue", "review_agreed"]));
    for (const s of reviews) {
      expect(s.text, where(s)).toMatch(/Review reference: [A-Z]+-REV-2027-0042/);
      expect(s.text, where(s)).toMatch(/held on Tuesday 23 March 2027/);
    }
  });
});

describe("who is told of a Cafcass referral, in the procedure's words", () => {
  it("Newham alerts its DCS (§7 stage 5) and never calls them a nominated officer; where a procedure names none, the QA inbox is told so", () => {
    const referrals = all.filter((s) => s.kind === "cafcass_referral" && s.audience === "recipient");
    const newham = referrals.filter((s) => s.authority === "newham");
    expect(newham.length).toBeGreaterThan(0);
    for (const s of newham) expect(s.text, where(s)).toMatch(/The procedure asks the IRO to alert the Director of Children's Services/);
    for (const s of all.filter((x) => x.authority === "newham")) expect(s.text, where(s)).not.toMatch(/nominated officer/i);
    for (const s of referrals.filter((x) => x.authority === "birmingham" || x.authority === "wf"))
      expect(s.text, where(s)).toMatch(
        /names no nominated officer for Cafcass referrals, so the (QA|quality assurance \(QA\)) inbox is told/,
      );
  });
});

describe("the whole set of emails", () => {
  it("covers every kind of email, and every audience of the stage's announcement", () => {
    const kinds = new Set(all.map((s) => s.kind));
    for (const k of NOTIFICATION_KINDS) expect(kinds, k).toContain(k);
    const raised = new Set(all.filter((s) => s.kind === "stage_raised").map((s) => s.audience));
    expect([...raised].sort()).toEqual(["copied", "instigator", "recipient"]);
    expect(all.length).toBeGreaterThan(300);
  });

  it("never prints a negative count, or undefined, null or NaN", () => {
    for (const s of all) {
      expect(s.text, where(s)).not.toMatch(/(^|[\s(])-\d/m);
      expect(s.text, where(s)).not.toMatch(/\b(undefined|null|NaN)\b/);
      expect(s.html, where(s)).not.toMatch(/\b(undefined|NaN)\b/);
    }
  });

  it("never shows a list heading without items, or an empty paragraph", () => {
    for (const s of all) {
      for (const l of s.view.lists) expect(l.items.length, `${where(s)}: ${l.lead}`).toBeGreaterThan(0);
      for (const p of s.view.paragraphs) expect(p.trim().length, where(s)).toBeGreaterThan(0);
    }
  });

  it("cites the authority's own document, never a seed file's number", () => {
    for (const s of all) {
      expect(s.text, where(s)).not.toMatch(/\b00[0-4]\b/);
      expect(s.view.source, where(s)).toMatch(/procedure|IRO Handbook|national standards|form/);
    }
  });

  it("never says 'care plan' in a child protection email", () => {
    const cp = all.filter((s) => s.procedure === "cp");
    expect(cp.length).toBeGreaterThan(20);
    for (const s of cp) expect(s.text, where(s)).not.toMatch(/care plan/i);
  });

  it("keeps the instigator's instructions out of every other person's email", () => {
    for (const s of all) {
      if (s.audience === "instigator") continue;
      const a = authorities().get(s.authority)!;
      // a report is about every procedure: checked against each
      const procedures =
        s.kind.startsWith("report") || s.kind.startsWith("review_")
          ? Object.values(a.procedures)
          : [a.procedures[s.procedure as "iro" | "cp"]!];
      for (const p of procedures)
        for (const stage of p.stages) {
          if (stage.whenTimescaleEnds) expect(s.text, where(s)).not.toContain(stage.whenTimescaleEnds);
          for (const r of stage.requires) expect(s.text, where(s)).not.toContain(r.text);
        }
      for (const p of procedures) for (const note of p.instigatorNotes) expect(s.text, where(s)).not.toContain(note.text);
      expect(s.view.inset, where(s)).toBeUndefined();
    }
  });

  it("tells the recipient how to respond in the procedure's own words (Birmingham: on Eclipse)", () => {
    const b = all.filter((s) => s.authority === "birmingham" && s.kind === "stage_raised" && s.audience === "recipient" && s.stage === 1);
    expect(b).toHaveLength(1);
    expect(b[0]!.text).toMatch(/Resolution and Escalation form on Eclipse/);
    expect(b[0]!.text).not.toMatch(/send your response to/);
  });

  it("does not repeat a date, or a title beside a name that already says it", () => {
    for (const s of all) {
      for (const p of [...s.view.paragraphs, s.view.heading]) {
        const dates = p.match(LONG_DATE) ?? [];
        expect(new Set(dates).size, `${where(s)}: ${p}`).toBe(dates.length);
      }
      for (const l of s.view.lists) for (const item of l.items) expect(item, where(s)).not.toMatch(/inbox.*, .*inbox/i);
    }
  });

  it("labels the over-11s route's stage 3 as the Head of Service, in the recipient's email and the IRO's prompt", () => {
    const at3 = all.filter((s) => s.authority === "gloucestershire" && s.stage === 3);
    // the demo directory's first team is in the under-11s service: the Deputy / Assistant Director
    const recipient = at3.find((s) => s.kind === "stage_raised" && s.audience === "recipient")!;
    expect(recipient.text).toMatch(/respond as the Deputy \/ Assistant Director/);
  });

  it("says each thing once: no advice twice (an inset that a list or a paragraph already gives), no paragraph twice", () => {
    for (const s of all.filter((x) => x.view.kind !== "report" && x.view.kind !== "report_holder_list")) {
      const v = s.view;
      const items = v.lists.flatMap((l) => l.items);
      expect(new Set(v.paragraphs).size, where(s)).toBe(v.paragraphs.length);
      if (v.inset) {
        // the inset's advice is not also listed: it shares no run of six words with a listed condition
        const runs = (t: string) => {
          const w = t.toLowerCase().match(/[a-z0-9]+/g) ?? [];
          return new Set(w.slice(0, Math.max(0, w.length - 5)).map((_, k) => w.slice(k, k + 6).join(" ")));
        };
        const inset = runs(v.inset);
        for (const item of items) for (const r of runs(item)) expect(inset.has(r), `${where(s)}: "${r}"`).toBe(false);
      }
    }
  });

  it("gives no advice past its day: a breach notice carries none, and a late announcement promises no prompt 'by then'", () => {
    for (const s of all.filter((x) => x.view.kind === "overall_breach")) expect(s.view.inset, where(s)).toBeUndefined();
    for (const s of all) {
      if (/already overdue/.test(s.text)) expect(s.text, where(s)).not.toMatch(/If there is no response by then/);
      expect(s.text, where(s)).not.toMatch(/(\d+) working days of the \1 remain/);
    }
  });

  it("keeps citations out of the sentences: each is in the one Source line at the foot", () => {
    for (const s of all.filter(
      (x) => x.view.kind !== "report" && x.view.kind !== "report_holder_list" && !x.view.kind.startsWith("review_"),
    )) {
      const doc = authorities().get(s.authority)!.documentName;
      const body = [...s.view.paragraphs, ...s.view.lists.flatMap((l) => [l.lead, ...l.items]), s.view.inset ?? ""].join("\n");
      expect(body, where(s)).not.toContain(`(${doc}`);
      expect(body, where(s)).not.toMatch(/\(IRO Handbook/);
      expect(s.text, where(s)).toMatch(/^Source: /m);
    }
  });

  it("opens every copy with 'For information', in its heading and its preheader", () => {
    for (const s of all.filter((x) => x.audience === "copied" && x.view.kind !== "report" && x.view.kind !== "report_holder_list")) {
      expect(s.view.heading, where(s)).toMatch(/^For information/);
      expect(s.view.preheader, where(s)).toMatch(/^For information/);
    }
  });

  it("puts the no-one-holds banner only on the stand-in's email or the QA inbox's own", () => {
    for (const s of all) if (s.view.banners.length) expect(s.view.recipient.role, where(s)).toMatch(/QA inbox|standing in/i);
  });

  it("keeps the reference whole in every HTML heading", () => {
    for (const s of all) {
      const h1 = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(s.html)?.[1] ?? "";
      if (s.view.reference && s.view.heading.includes(s.view.reference)) {
        expect(h1, where(s)).toContain(`<span style="white-space:nowrap">${s.view.reference}</span>`);
      }
    }
  });
});

describe("drp preview --all", () => {
  it("writes each email as <authority>/<procedure>/<kind>-s<stage>-<audience>.html and .txt, with an index", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "drp-preview-"));
    try {
      const a = authorities().get("newham")!;
      const n = writeAllPreviews(dir, [a], renderer);
      const files = await readdir(path.join(dir, "newham", "iro"));
      expect(files).toContain("stage_raised-s1-recipient.html");
      expect(files).toContain("stage_raised-s1-copied.txt");
      expect(files).toContain("cafcass_referral-s5-recipient.html");
      const index = await readFile(path.join(dir, "index.html"), "utf8");
      expect(index).toContain('href="newham/cp/stage_raised-s1-instigator.html"');
      expect((index.match(/<tr><td>/g) ?? []).length).toBe(n);
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
