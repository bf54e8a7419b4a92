import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import Handlebars from "handlebars";
import { beforeAll, describe, expect, it } from "vitest";
import { EMAIL_KINDS, type EmailKind, type EmailView } from "../../src/mail/model.ts";
import { createRenderer, type Renderer, renderWithMjmlPerEmail } from "../../src/mail/render.ts";
import { sampleView } from "../support/email-view.ts";

const TEMPLATES = fileURLToPath(new URL("../../templates", import.meta.url));
const EVIL = `<script>alert(1)</script> & "x"`;

let renderer: Renderer;
beforeAll(async () => {
  renderer = await createRenderer();
});

/** What a reader sees: the body without tags, entities decoded, whitespace collapsed. */
function visible(html: string): string {
  const body = html.slice(html.indexOf("<body"));
  return decode(body.replace(/<!--[\s\S]*?-->/g, " ").replace(/<[^>]+>/g, " "))
    .replace(/\s+/g, " ")
    .trim();
}

function decode(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** Every (href, link text) pair in the HTML. */
function links(html: string): { href: string; text: string }[] {
  return [...html.matchAll(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g)].map((m) => ({
    href: decode(m[1]!),
    text: visible(`<body>${m[2]!}`),
  }));
}

describe("every kind", () => {
  it("has a template, and the renderer knows every kind", () => {
    expect([...renderer.kinds].sort()).toEqual([...EMAIL_KINDS].sort());
  });

  it.each(EMAIL_KINDS.map((k) => [k]))("%s renders the view in HTML and text", (kind: EmailKind) => {
    const view = sampleView({ kind, heading: `Heading for ${kind}`, preheader: `Preview for ${kind}` });
    const { html, text } = renderer.render(view);
    const seen = visible(html);
    expect(html).toContain(`<title>${view.subject}</title>`);
    expect(seen.startsWith(`Preview for ${kind}`)).toBe(true);
    expect(html).toMatch(new RegExp(`<h1[^>]*>Heading for ${kind}</h1>`));
    for (const part of [
      "Dispute reference: BIR-2026-0042",
      "Case reference: ECL-123456",
      "Dear Sam Taylor,",
      ...view.paragraphs,
      "Source: Dispute Resolution Process, paragraph 4.2",
      view.footer,
    ]) {
      expect(seen).toContain(part);
      expect(text).toContain(part);
    }
    expect(text).toContain(`Heading for ${kind}`);
    expect(text.indexOf("Dispute reference")).toBeLessThan(text.indexOf("Source:"));
  });

  it.each(EMAIL_KINDS.map((k) => [k]))("%s is the same whether MJML runs once or per email", async (kind: EmailKind) => {
    const view = sampleView({
      kind,
      banners: ["No one holds the role Team Manager for team North."],
      recipient: { name: EVIL, role: "IRO" },
    });
    const once = renderer.render(view);
    const naive = await renderWithMjmlPerEmail(view);
    expect(visible(once.html)).toBe(visible(naive.html));
    expect(once.text).toBe(naive.text);
  });
});

describe("escaping", () => {
  it("escapes a hostile name and reference in HTML, and keeps them verbatim in text", () => {
    const { html, text } = renderer.render(sampleView({ recipient: { name: EVIL, role: "x" }, reference: `BIR<1>&"2"` }));
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;");
    expect(html).not.toContain(`BIR<1>`);
    expect(visible(html)).toContain(`Dear ${EVIL},`);
    expect(visible(html)).toContain(`Dispute reference: BIR<1>&"2"`);
    expect(text).toContain(`Dear ${EVIL},`);
    expect(text).toContain(`Dispute reference: BIR<1>&"2"`);
  });

  it("never lets any value in a paragraph, list or banner open a tag", () => {
    const view = (p: string, item: string, banner: string) =>
      sampleView({ paragraphs: [p], lists: [{ lead: "Lead:", items: [item] }], banners: [banner] });
    const tags = (html: string) => html.split("<").length;
    const plainTags = tags(renderer.render(view("p", "i", "b")).html);
    const value = fc.string({ minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(value, value, value, (p, item, banner) => {
        const { html, text } = renderer.render(view(p, item, banner));
        expect(tags(html)).toBe(plainTags);
        for (const s of [p, item, banner]) {
          expect(html).toContain(Handlebars.escapeExpression(s));
          expect(text).toContain(s.trim());
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("parts that come and go", () => {
  it("shows banners first, in a bordered box, only when there are some", () => {
    const without = renderer.render(sampleView({ banners: [] }));
    expect(without.html).not.toContain('class="banner"');
    expect(without.text).not.toContain("IMPORTANT:");

    const banners = ["No one holds the role Team Manager for team North.", "The QA inbox is not set."];
    const { html, text } = renderer.render(sampleView({ banners }));
    expect(html).toMatch(/class="banner" style="[^"]*border: 5px solid #d4351c/);
    for (const b of banners) {
      expect(html.indexOf(b)).toBeLessThan(html.indexOf("<h1"));
      expect(text).toContain(`IMPORTANT: ${b}`);
      expect(text.indexOf(b)).toBeLessThan(text.indexOf("Respond to the dispute"));
    }
  });

  it("links the case record with its full URL as the link text, only when there is one", () => {
    const url = "https://cases.example.org/record/ECL-123456?tab=plan&view=full";
    const { html, text } = renderer.render(sampleView({ caseUrl: url }));
    expect(links(html)).toEqual([{ href: url, text: url }]);
    expect(html).toContain('href="https://cases.example.org/record/ECL-123456?tab&#x3D;plan&amp;view&#x3D;full"');
    expect(text).toContain(`Case record: ${url}`);
    expect(visible(html)).not.toMatch(/click here/i);

    const none = renderer.render(sampleView({ caseUrl: undefined }));
    expect(links(none.html)).toEqual([]);
    expect(none.text).not.toContain("Case record");
  });

  it("drops a case link that is not http(s)", () => {
    const { html, text } = renderer.render(sampleView({ caseUrl: "javascript:alert(1)" }));
    expect(html).not.toContain("javascript:");
    expect(text).not.toContain("javascript:");
  });

  it("shows the inset with a grey left border, indented in text, only when set", () => {
    const { html, text } = renderer.render(sampleView({ inset: "The IRO can escalate." }));
    expect(html).toMatch(/class="inset" style="[^"]*border-left: 10px solid #b1b4b6[^"]*"><p[^>]*>The IRO can escalate\.<\/p>/);
    expect(text).toContain("\n    The IRO can escalate.\n");
    const none = renderer.render(sampleView({ inset: undefined }));
    expect(none.html).not.toContain('class="inset"');
  });

  it("shows the protective marking above the authority's name, only when set", () => {
    const { html, text } = renderer.render(sampleView({ protectiveMarking: "OFFICIAL-SENSITIVE" }));
    expect(visible(html)).toMatch(/OFFICIAL-SENSITIVE Example Borough Council/);
    expect(text.startsWith("OFFICIAL-SENSITIVE\nExample Borough Council\n")).toBe(true);
    const none = renderer.render(sampleView({ protectiveMarking: undefined }));
    expect(visible(none.html)).not.toContain("OFFICIAL-SENSITIVE Example");
    expect(none.text.startsWith("Example Borough Council\n")).toBe(true);
  });

  it("writes lists as <ul> in HTML and '- ' lines in text", () => {
    const { html, text } = renderer.render(
      sampleView({ lists: [{ lead: "Also sent to:", items: ["Alex Morgan, IRO Manager", "QA team"] }] }),
    );
    expect(html).toMatch(/<p[^>]*>Also sent to:<\/p><ul[^>]*><li[^>]*>Alex Morgan, IRO Manager<\/li><li[^>]*>QA team<\/li><\/ul>/);
    expect(text).toContain("Also sent to:\n- Alex Morgan, IRO Manager\n- QA team\n");
    expect(text).not.toMatch(/\n{3,}/);
  });
});

describe("style", () => {
  const html = () => renderer.render(sampleView({ banners: ["A banner"] })).html;

  it("uses no bold or italic tags, and no images", () => {
    expect(html()).not.toMatch(/<(b|strong|i|em|img)[\s>]/i);
  });

  it("sets body text at 19px in the device's sans-serif, 580px wide, links #1d70b8", () => {
    const h = html();
    expect(h).toMatch(/font-family:-apple-system, BlinkMacSystemFont, 'Segoe UI', Helvetica, Arial, sans-serif;font-size:19px/);
    expect(h).toContain("max-width:580px");
    expect(h).toMatch(/<a [^>]*style="color: #1d70b8/);
    expect(h).toMatch(/<h1 style="font-size: 27px/);
    expect(h).toMatch(/font-size:16px;[^"]*color:#505a5f;"><div class="foot"/);
  });
});

describe("start-up", () => {
  async function copyOfTemplates(): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), "drp-templates-"));
    await cp(TEMPLATES, dir, { recursive: true });
    return dir;
  }

  it("fails, naming the file, when the shared template is missing", async () => {
    const dir = await copyOfTemplates();
    try {
      await rm(path.join(dir, "email.mjml"));
      await expect(createRenderer(dir)).rejects.toThrow(/stage_raised.*email\.mjml/);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it("uses a kind's own template where it has one", async () => {
    const dir = await copyOfTemplates();
    try {
      const shared = await readFile(path.join(dir, "email.mjml"), "utf8");
      await writeFile(
        path.join(dir, "closed.mjml"),
        shared.replace(
          '<mj-include path="partials/footer.mjml" />',
          "<mj-section><mj-column><mj-text>Own closing template</mj-text></mj-column></mj-section>",
        ),
      );
      const own = await createRenderer(dir);
      expect(own.render(sampleView({ kind: "closed" })).html).toContain("Own closing template");
      expect(own.render(sampleView({ kind: "overdue" })).html).not.toContain("Own closing template");
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it("fails, naming the file, on invalid MJML or a broken include", async () => {
    const dir = await copyOfTemplates();
    try {
      const file = path.join(dir, "email.mjml");
      const good = await readFile(file, "utf8");
      await writeFile(file, good.replace("<mj-body", '<mj-body nonsense="1"'));
      await expect(createRenderer(dir)).rejects.toThrow(/email\.mjml/);
      await writeFile(file, good.replace("partials/footer.mjml", "partials/missing.mjml"));
      await expect(createRenderer(dir)).rejects.toThrow(/email\.mjml/);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it("keeps the reference in a heading on one line, and shows no reference lines on an email about no dispute", () => {
    const r = renderer.render(sampleView({ heading: "Respond to dispute BIR-2026-0042 by 5pm", reference: "BIR-2026-0042" }));
    expect(r.html).toContain('Respond to dispute <span style="white-space:nowrap">BIR-2026-0042</span> by 5pm');
    const none = renderer.render(sampleView({ kind: "failure_digest", reference: undefined, caseReference: undefined }));
    expect(none.html).not.toContain("Dispute reference");
    expect(none.text).not.toContain("Dispute reference");
  });

  it("refuses to render a kind it has no template for", () => {
    expect(() => renderer.render(sampleView({ kind: "nonsense" as EmailKind }))).toThrow(/No email template for kind "nonsense"/);
  });
});

describe("escaping every field the HTML template shows", () => {
  // each field a person or the directory can put words into, and each block of the template it lands in
  const FIELDS: [string, (v: string) => Partial<EmailView>][] = [
    ["subject", (v) => ({ subject: v })],
    ["preheader", (v) => ({ preheader: v })],
    ["heading", (v) => ({ heading: v })],
    ["authorityName", (v) => ({ authorityName: v })],
    ["reference", (v) => ({ reference: v })],
    ["caseReference", (v) => ({ caseReference: v })],
    ["referenceLabel", (v) => ({ referenceLabel: v })],
    ["protectiveMarking", (v) => ({ protectiveMarking: v })],
    ["recipient.name", (v) => ({ recipient: { name: v, role: "Team Manager" } })],
    ["paragraphs", (v) => ({ paragraphs: [v] })],
    ["lists.lead", (v) => ({ lists: [{ lead: v, items: ["Alex Morgan"] }] })],
    ["lists.items", (v) => ({ lists: [{ lead: "Copied:", items: [v] }] })],
    ["inset", (v) => ({ inset: v })],
    ["banners", (v) => ({ banners: [v] })],
    ["source", (v) => ({ source: v })],
    ["footer (the IRO's and the team's names)", (v) => ({ footer: v })],
    ["actions.label", (v) => ({ actions: [{ label: v, url: "https://drp.example.org/act/t" }] })],
    ["blocks.heading", (v) => ({ blocks: [{ heading: v }] })],
    ["blocks.paragraph", (v) => ({ blocks: [{ paragraph: v }] })],
    ["blocks.figure.alt", (v) => ({ blocks: [{ figure: { cid: "c1@x", alt: v, width: 600, height: 300 } }] })],
    [
      "blocks.table (caption, head, cells)",
      (v) => ({ blocks: [{ table: { caption: v, head: [v, "n"], rows: [[v, "1"]], numeric: [false, true], codes: [true, false] } }] }),
    ],
  ];
  const tags = (html: string) => html.split("<").length;

  it.each(FIELDS)("escapes %s", (_, field) => {
    const plain = tags(renderer.render(sampleView(field("plain words"))).html);
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (pre, post) => {
        const hostile = `${pre}<b id="x" onclick='y'>&${post}`;
        const { html } = renderer.render(sampleView(field(hostile)));
        expect(html).not.toContain('<b id="x"');
        expect(tags(html)).toBe(plain);
      }),
      { numRuns: 40 },
    );
  });
});
