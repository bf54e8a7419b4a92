// The signed-in pages on a real PostgreSQL, with the sign-in link sent through
// the outbox to a real SMTP server: nobody sees anything before signing in;
// the link works once, in the browser that asked, for 15 minutes; an IRO sees
// the disputes they raised, a manager their team's and what they hold, QA all
// of their authority's and none of another's (guessed references, the CSV);
// every page view is in the access trail; sign-out ends the session.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reviews } from "../../src/db/schema.ts";
import { createRenderer } from "../../src/mail/render.ts";
import { type Mailer, smtpMailer } from "../../src/mail/transport.ts";
import { createMetrics } from "../../src/metrics.ts";
import { sendSignInLinks } from "../../src/queue/sign-in.ts";
import { workerDeps } from "../../src/queue/worker.ts";
import { raiseBody, type TestApp, testApp } from "../support/app.ts";
import { type Sink, startSink } from "../support/mail-sink.ts";

let t: TestApp;
let sink: Sink;
let mailer: Mailer;
let deps: ReturnType<typeof workerDeps>;

/** A browser: its cookies, kept across requests. */
class Browser {
  cookies = new Map<string, string>();
  /** each browser its own client address: the sign-in form is limited per client */
  static next = 1;
  readonly address = `10.0.${Math.floor(Browser.next / 250)}.${(Browser.next++ % 250) + 1}`;
  private keep(set: string | string[] | undefined) {
    for (const c of [set ?? []].flat()) {
      const [pair, ...attrs] = c.split(";");
      const [name, ...v] = pair!.split("=");
      const value = v.join("=");
      if (attrs.some((a) => /^\s*(expires=Thu, 01 Jan 1970|max-age=0)/i.test(a)) || value === "") this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
  }
  async get(url: string) {
    const res = await t.app.inject({ method: "GET", url, remoteAddress: this.address, headers: { cookie: this.header() } });
    this.keep(res.headers["set-cookie"]);
    return res;
  }
  async post(url: string, form: Record<string, string>) {
    const res = await t.app.inject({
      method: "POST",
      url,
      remoteAddress: this.address,
      headers: { cookie: this.header(), "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams(form).toString(),
    });
    this.keep(res.headers["set-cookie"]);
    return res;
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
const versionOf = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? "";
const formIdOf = (html: string) => /name="formId" value="([^"]+)"/.exec(html)?.[1] ?? "";

/** Asks for a link in this browser, has the worker email it, and returns the link from the email. */
async function askForLink(b: Browser, email: string, authority?: string): Promise<string> {
  const form = await b.get("/sign-in");
  const before = sink.received.length;
  const sent = await b.post("/sign-in", { csrf: csrfOf(form.body), email });
  expect(sent.statusCode).toBe(200);
  expect(sent.body).toContain("Check your email");
  await sendSignInLinks(deps);
  // one link an authority whose directory holds the address: the one asked for, or the first
  const mail = sink.received.slice(before).find((m) => m.to.includes(email) && (!authority || m.subject.includes(authority)));
  if (!mail) throw new Error(`no sign-in email to ${email}`);
  return new URL(/http:\/\/\S+\/sign-in\/email\/\S+/.exec(mail.text)![0]).pathname;
}

async function signIn(email: string, authority?: string): Promise<Browser> {
  // past the last quarter hour's links to this address: at most three are sent in any 15 minutes
  t.clock.advance(16 * 60_000);
  const b = new Browser();
  const res = await b.get(await askForLink(b, email, authority));
  expect(res.statusCode).toBe(303);
  expect(res.headers.location).toBe("/");
  return b;
}

const reviewId = async (reference: string) =>
  (await t.svc.db.select({ id: reviews.id }).from(reviews).where(eq(reviews.reference, reference)))[0]?.id;
const references = (html: string) => [...html.matchAll(/href="\/cases\/([A-Z]+-\d{4}-\d{4})"/g)].map((m) => m[1]);

beforeAll(async () => {
  t = await testApp("2026-11-24T10:00:00Z");
  sink = await startSink();
  mailer = smtpMailer(sink.url);
  deps = workerDeps({
    svc: t.svc,
    renderer: await createRenderer(),
    mailer,
    metrics: createMetrics(),
    from: "IRO Dispute Resolution <drp@drp.example.org>",
    leaseMs: 60_000,
    retry: { attempts: 3, baseDelayMs: 1_000 },
    links: null,
    workerId: "pages",
  });
  // Birmingham: two raised by Ivy for CLA North, one by another IRO for CLA South; one Newham dispute
  const raise = (authority: string, over: Record<string, unknown>) => t.call(authority, "POST", "/disputes", raiseBody(over));
  expect((await raise("birmingham", {})).status).toBe(201);
  expect((await raise("birmingham", { childRef: "CASE-0002" })).status).toBe(201);
  expect(
    (await raise("birmingham", { team: "cla-south", raisedBy: { name: "Iris Other", email: "iris.other@example.org", role: "iro" } }))
      .status,
  ).toBe(201);
  expect((await raise("newham", { team: "cla-a", categories: ["other"], otherCategory: "x" })).status).toBe(201);
}, 60_000);

afterAll(async () => {
  mailer?.close();
  await sink?.stop();
  await t?.close();
});

describe("signed out", () => {
  it("sees nothing: the list and a case redirect to the sign-in page, the CSV too", async () => {
    const b = new Browser();
    for (const url of ["/", "/cases/BIR-2026-0001", "/outstanding.csv"]) {
      const res = await b.get(url);
      expect(res.statusCode, url).toBe(303);
      expect(res.headers.location).toBe("/sign-in");
    }
    const form = await b.get("/sign-in");
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="email"');
    expect(form.headers["content-security-policy"]).toContain("script-src 'none'");
  });

  it("gets the same answer for an address nobody holds, and no email; a bad address is an error on the page", async () => {
    const b = new Browser();
    const form = await b.get("/sign-in");
    const before = sink.received.length;
    const res = await b.post("/sign-in", { csrf: csrfOf(form.body), email: "nobody@nowhere.example" });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain("Check your email");
    await sendSignInLinks(deps);
    expect(sink.received.length).toBe(before);
    const bad = await b.post("/sign-in", { csrf: csrfOf(form.body), email: "not an address" });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/<title>Error: Sign in/);
    expect(bad.body).toContain("Enter an email address in the correct format");
  });

  it("cannot post the sign-in form without the page's token", async () => {
    const b = new Browser();
    await b.get("/sign-in");
    const res = await b.post("/sign-in", { email: "qa-inbox@birmingham.example.org" });
    expect(res.statusCode).toBe(403);
  });
});

describe("a sign-in link", () => {
  it("works once, in the browser that asked, and says why not otherwise", async () => {
    const asker = new Browser();
    const link = await askForLink(asker, "qa-inbox@birmingham.example.org");
    const mail = sink.received.at(-1)!;
    expect(mail.subject).toContain("Sign in");
    expect(mail.text).not.toMatch(/CASE-000|Ivy Reviewer|BIR-2026/); // nothing of any case
    const thief = new Browser();
    const stolen = await thief.get(link);
    expect(stolen.statusCode).toBe(400);
    expect(stolen.body).toContain("Open the link in the browser where you asked for it");
    expect((await asker.get(link)).statusCode).toBe(303);
    const again = await asker.get(link);
    expect(again.body).toContain("already been used");
    expect((await asker.get("/sign-in/email/not-a-token")).body).toContain("not valid");
  });

  it("expires after 15 minutes", async () => {
    const b = new Browser();
    const link = await askForLink(b, "tm-north@birmingham.example.org");
    t.clock.advance(16 * 60_000);
    try {
      expect((await b.get(link)).body).toContain("has expired");
    } finally {
      t.clock.advance(-16 * 60_000);
    }
  });

  it("can be asked for ten times from one client in 15 minutes, then not (429)", async () => {
    const b = new Browser();
    const form = await b.get("/sign-in");
    const codes: number[] = [];
    for (let i = 0; i < 11; i++)
      codes.push((await b.post("/sign-in", { csrf: csrfOf(form.body), email: `x${i}@nowhere.example` })).statusCode);
    expect(codes.slice(0, 10).every((c) => c === 200)).toBe(true);
    expect(codes[10]).toBe(429);
  });

  it("is sent at most three times an address in 15 minutes", async () => {
    const b = new Browser();
    const form = await b.get("/sign-in");
    const before = sink.received.length;
    for (let i = 0; i < 5; i++) await b.post("/sign-in", { csrf: csrfOf(form.body), email: "hos-cla@birmingham.example.org" });
    await sendSignInLinks(deps);
    expect(sink.received.slice(before).filter((m) => m.to.includes("hos-cla@birmingham.example.org"))).toHaveLength(3);
  });

  it("counts asks, not links: someone in five authorities' directories may ask three times too", async () => {
    t.clock.advance(16 * 60_000);
    const b = new Browser();
    const form = await b.get("/sign-in");
    const before = sink.received.length;
    for (let i = 0; i < 4; i++) await b.post("/sign-in", { csrf: csrfOf(form.body), email: "ivy.reviewer@example.org" });
    await sendSignInLinks(deps);
    // one link an authority an ask: five authorities, three asks
    expect(sink.received.slice(before).filter((m) => m.to.includes("ivy.reviewer@example.org"))).toHaveLength(15);
  });
});

describe("who sees what", () => {
  it("shows QA every open dispute of their authority, and no other authority's, in the list and the CSV", async () => {
    const qa = await signIn("qa-inbox@birmingham.example.org");
    const home = await qa.get("/");
    expect(home.statusCode).toBe(200);
    expect(references(home.body).sort()).toEqual(["BIR-2026-0001", "BIR-2026-0002", "BIR-2026-0003"]);
    expect(home.body).toContain("Tessa Example"); // who holds it
    const csv = await qa.get("/outstanding.csv");
    expect(csv.headers["content-type"]).toContain("text/csv");
    const lines = csv.body
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\n");
    expect(lines[0]).toMatch(/^authority,procedure,child_ref,family_ref,raised_by_name,/);
    expect(lines).toHaveLength(4);
    expect(csv.body).not.toContain("NEW-2026");
    // another authority's case, by its reference: no such case
    expect((await qa.get("/cases/NEW-2026-0001")).statusCode).toBe(404);
  });

  it("shows an IRO the disputes they raised and not a colleague's", async () => {
    const ivy = await signIn("ivy.reviewer@example.org");
    const home = await ivy.get("/");
    expect(references(home.body).sort()).toEqual(["BIR-2026-0001", "BIR-2026-0002"]);
    expect((await ivy.get("/cases/BIR-2026-0003")).statusCode).toBe(404);
    expect((await ivy.get("/cases/BIR-2026-0001")).statusCode).toBe(200);
  });

  it("shows a team manager their team's disputes; an assistant director none until one reaches them", async () => {
    const tm = await signIn("tm-north@birmingham.example.org");
    expect(references((await tm.get("/")).body).sort()).toEqual(["BIR-2026-0001", "BIR-2026-0002"]);
    const ad = await signIn("ad-cla@birmingham.example.org");
    expect(references((await ad.get("/")).body)).toEqual([]);
  });

  it("filters by team, holder and overdue, and sorts", async () => {
    const qa = await signIn("qa-inbox@birmingham.example.org");
    expect(references((await qa.get("/?team=cla-south")).body)).toEqual(["BIR-2026-0003"]);
    expect(references((await qa.get("/?holder=tm-north&sort=reference")).body)).toEqual(["BIR-2026-0001", "BIR-2026-0002"]);
    expect(references((await qa.get("/?overdue=yes")).body)).toEqual([]);
    expect((await qa.get("/?stage=nonsense")).statusCode).toBe(200); // a query it cannot read is left out
  });

  it("records every page view, and shows the trail to QA only", async () => {
    const tm = await signIn("tm-north@birmingham.example.org");
    const page = await tm.get("/cases/BIR-2026-0001");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Waiting for a response from Tessa Example");
    expect(page.body).not.toContain("Who has opened this dispute");
    const qa = await signIn("qa-inbox@birmingham.example.org");
    // a download of the list is in the trail of each dispute in it
    expect((await qa.get("/outstanding.csv?team=cla-north")).statusCode).toBe(200);
    const seen = await qa.get("/cases/bir-2026-0001");
    expect(seen.body).toContain("Who has opened this dispute");
    expect(seen.body).toContain("Tessa Example (tm-north@birmingham.example.org), opened its page");
    expect(seen.body).toContain("Birmingham IRO QA inbox (qa-inbox@birmingham.example.org), downloaded it in the outstanding list");
    // the whole list's download (above) and the team's: another team's dispute was in the first only
    expect(seen.body.match(/downloaded it in the outstanding list/g)).toHaveLength(2);
    const south = await qa.get("/cases/BIR-2026-0003");
    expect(south.body.match(/downloaded it in the outstanding list/g)).toHaveLength(1);
  });
});

describe("steps from a dispute's page", () => {
  it("offer each person their own step only: the holder responds, the IRO decides, QA oversees", async () => {
    const qa = await signIn("qa-inbox@birmingham.example.org");
    expect((await qa.get("/cases/BIR-2026-0002")).body).not.toContain("Your next step");
    expect((await qa.get("/cases/BIR-2026-0002/steps/respond")).statusCode).toBe(409); // a case they see, a step not theirs
    const tm = await signIn("tm-north@birmingham.example.org");
    const page = await tm.get("/cases/BIR-2026-0002");
    expect(page.body).toContain('href="/cases/BIR-2026-0002/steps/respond"');
    expect(page.body).not.toContain("/steps/escalate");
    expect((await tm.get("/cases/BIR-2026-0002/steps/escalate")).statusCode).toBe(409);
    const ivy = await signIn("ivy.reviewer@example.org");
    const hers = await ivy.get("/cases/BIR-2026-0002");
    expect(hers.body).toContain("/steps/escalate");
    expect(hers.body).not.toContain("/steps/respond");
  });

  it("records the response with the form's version, and refuses a form shown before someone else's step", async () => {
    const tm = await signIn("tm-north@birmingham.example.org");
    const form = await tm.get("/cases/BIR-2026-0002/steps/respond");
    expect(form.statusCode).toBe(200);
    const version = versionOf(form.body);
    // the IRO agrees an extension meanwhile
    const ivy = await signIn("ivy.reviewer@example.org");
    const ext = await ivy.get("/cases/BIR-2026-0002/steps/extend");
    const done = await ivy.post("/cases/BIR-2026-0002/steps/extend", {
      csrf: csrfOf(ext.body),
      version: versionOf(ext.body),
      "date-day": "10",
      "date-month": "12",
      "date-year": "2026",
    });
    expect(done.statusCode, done.body.match(/govuk-error-summary__list[\s\S]{0,400}/)?.[0]).toBe(200);
    expect(done.body).toContain("Extension agreed");
    const stale = await tm.post("/cases/BIR-2026-0002/steps/respond", { csrf: csrfOf(form.body), version, note: "Done." });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain("Someone recorded a step on this dispute since you opened this page");
    expect(stale.body).toMatch(/<title>Error: /);
    const again = await tm.get("/cases/BIR-2026-0002/steps/respond");
    const ok = await tm.post("/cases/BIR-2026-0002/steps/respond", {
      csrf: csrfOf(again.body),
      version: versionOf(again.body),
      note: "Plan reviewed.",
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain("Response recorded");
    const shown = await tm.get("/cases/BIR-2026-0002");
    expect(shown.body).toContain("Response recorded");
    expect(shown.body).toMatch(/Response recorded<\/td><td[^>]*>Tessa Example/);
    // and the API says so too
    const api = await t.call("birmingham", "GET", "/disputes?status=open");
    expect(api.body.disputes.find((d: { reference: string }) => d.reference === "BIR-2026-0002").awaiting).toBe("decision");
  });

  it("shows a bad date as an error on the form, naming the field", async () => {
    const ivy = await signIn("ivy.reviewer@example.org");
    const form = await ivy.get("/cases/BIR-2026-0001/steps/extend");
    const res = await ivy.post("/cases/BIR-2026-0001/steps/extend", {
      csrf: csrfOf(form.body),
      version: versionOf(form.body),
      "date-day": "31",
      "date-month": "2",
      "date-year": "2026",
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('href="#date-day"');
  });
});

describe("raising a dispute", () => {
  it("offers an IRO the stages the procedure starts at, says why the others are refused, and names each field at fault", async () => {
    const ivy = await signIn("ivy.reviewer@example.org");
    const form = await ivy.get("/raise");
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="procedure" value="iro"');
    // Birmingham starts at stage 0 or 1; stage 3 is reached by escalation, and says so
    expect(form.body).not.toMatch(/name="stage" type="radio" value="3"/);
    expect(form.body).toMatch(/Stage three[^<]*: a dispute cannot start at stage 3/);
    const bad = await ivy.post("/raise", { csrf: csrfOf(form.body), formId: formIdOf(form.body), procedure: "iro" });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/<title>Error: /);
    expect(bad.body).toContain('href="#childRef"');
    expect(bad.body).toContain("Enter the child&#39;s case reference");
    // every field at fault at once, in the form's order
    expect(bad.body.indexOf('href="#childRef"')).toBeLessThan(bad.body.indexOf('href="#categories"'));
    expect(bad.body).toContain('href="#summary"');
    expect(bad.body).toContain('href="#team"');
    expect(bad.body).toContain('href="#stage"');
    const refused = await ivy.post("/raise", {
      csrf: csrfOf(form.body),
      formId: formIdOf(form.body),
      procedure: "iro",
      childRef: "CASE-0009",
      team: "cla-north",
      stage: "3",
      categories: "care_plan_drift",
      summary: "A concern.",
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain("cannot start at stage 3");
    const body = {
      csrf: csrfOf(form.body),
      formId: formIdOf(form.body),
      procedure: "iro",
      childRef: "CASE-0009",
      team: "cla-north",
      stage: "1",
      categories: "care_plan_drift",
      summary: '=HYPERLINK("http://evil.example","drifted")',
      action1: "Hold a permanence planning meeting",
      days1: "5",
    };
    const ok = await ivy.post("/raise", body);
    expect(ok.statusCode).toBe(201);
    const reference = /<strong>([A-Z]+-\d{4}-\d{4})<\/strong>/.exec(ok.body)![1]!;
    // sent again (a double click, a refresh): the same dispute, not a second one
    const again = await ivy.post("/raise", body);
    expect(again.statusCode).toBe(201);
    expect(again.body).toContain(`<strong>${reference}</strong>`);
    const open = await t.call("birmingham", "GET", "/disputes?status=open");
    expect(open.body.disputes.filter((d: { childRef: string }) => d.childRef === "CASE-0009")).toHaveLength(1);
    // its summary, typed as a formula, goes into the CSV as text
    const qa = await signIn("qa-inbox@birmingham.example.org");
    expect((await qa.get("/outstanding.csv")).body).toContain("\"'=HYPERLINK(");
    const page = await ivy.get(`/cases/${reference}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("CASE-0009");
    expect(page.body).toMatch(/Raised at stage 1[\s\S]{0,200}Ivy Reviewer/);
  });

  it("tells someone who raises no disputes so, and offers them nothing", async () => {
    const tm = await signIn("tm-north@birmingham.example.org");
    const page = await tm.get("/raise");
    expect(page.body).toContain("You are not one of them here");
    expect(page.body).not.toContain('name="childRef"');
  });
});

describe("the directory's gaps", () => {
  it("shows QA every team's, with the disputes waiting on them; a team manager only their own team's", async () => {
    // CLA South's team manager leaves: BIR-2026-0003, at stage 1, waits on nobody
    const { loadDirectory } = await import("../../src/db/queries/directory.ts");
    const { importDirectory, parseDirectory } = await import("../../src/service/directory.ts");
    const { demoDirectory } = await import("../support/app.ts");
    const file = demoDirectory("birmingham") as { teams: { id: string; roles: Record<string, unknown> }[] };
    delete file.teams.find((x) => x.id === "cla-south")!.roles.team_manager;
    await importDirectory(t.svc, parseDirectory(t.svc, file), { force: true });
    try {
      expect((await loadDirectory(t.svc.db, "birmingham")).teams.get("cla-south")?.roles.team_manager).toBeUndefined();
      const qa = await signIn("qa-inbox@birmingham.example.org");
      const page = await qa.get("/gaps");
      expect(page.statusCode).toBe(200);
      expect(page.body).toMatch(/CLA South<\/td>\s*<td[^>]*>Case-holding Team Manager<\/td>/);
      expect(page.body).toContain('href="/cases/BIR-2026-0003"');
      const tm = await signIn("tm-north@birmingham.example.org");
      expect((await tm.get("/gaps")).body).not.toContain("CLA South");
    } finally {
      await importDirectory(t.svc, parseDirectory(t.svc, demoDirectory("birmingham")));
    }
  });
});

describe("the reports page", () => {
  it("shows QA the authority's report for a period, as in the email, with its CSV; and nobody else", async () => {
    const qa = await signIn("qa-inbox@birmingham.example.org");
    const page = await qa.get("/reporting?period=2026-Q4"); // Birmingham's report is quarterly; this one to date
    expect(page.statusCode, page.body.slice(0, 300)).toBe(200);
    expect(page.body).toMatch(/<h2 class="govuk-heading-l">Quarterly[^<]*2026/);
    expect(page.body).toContain("The period is not over: the figures are to date.");
    expect(page.body).toContain("<table");
    const csv = await qa.get("/reporting.csv?period=2026-Q4");
    expect(csv.headers["content-type"]).toContain("text/csv");
    const bad = await qa.get("/reporting?period=someday");
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/<title>Error: /);
    const tm = await signIn("tm-north@birmingham.example.org");
    expect((await tm.get("/reporting")).statusCode).toBe(403);
    expect((await tm.get("/")).body).not.toContain('href="/reporting"');
  });
});

describe("reviews", () => {
  const GLOS = "Gloucestershire";
  let reference = "";

  it("are recorded by their chair from a question page: errors named at once, then the reference and its deadlines on a panel, once", async () => {
    const ivy = await signIn("ivy.reviewer@example.org", GLOS);
    const form = await ivy.get("/record-review");
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain("Post-review audit"); // the deadline it starts, said beforehand
    const bad = await ivy.post("/record-review", {
      csrf: csrfOf(form.body),
      formId: formIdOf(form.body),
      procedure: "iro",
      childRef: "",
      team: "stroud-cla",
      "heldOn-day": "23",
      "heldOn-month": "11",
      "heldOn-year": "2027",
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/<title>Error: /);
    expect(bad.body).toContain('href="#childRef"');
    expect(bad.body).toContain('href="#heldOn-day"');
    expect(bad.body).toContain("must be today or in the past");
    const fields = {
      csrf: csrfOf(bad.body),
      formId: formIdOf(bad.body),
      procedure: "iro",
      childRef: "GLO-CHILD-77",
      team: "stroud-cla",
      "heldOn-day": "23",
      "heldOn-month": "11",
      "heldOn-year": "2026",
    };
    const ok = await ivy.post("/record-review", fields);
    expect(ok.statusCode, ok.body.match(/govuk-error-summary__list[\s\S]{0,400}/)?.[0]).toBe(201);
    reference = /([A-Z]+-REV-2026-\d{4})/.exec(ok.body)![1]!;
    // ¶1–2: three working days after the review on Monday 23 November
    expect(ok.body).toContain("Post-review audit: by 5pm on Thursday 26 November 2026");
    // sent again (a double click): the same review, not a second one
    const again = await ivy.post("/record-review", fields);
    expect(again.statusCode).toBe(201);
    expect(again.body).toContain(reference);
    const api = await t.call("gloucestershire", "GET", `/reviews/${(await reviewId(reference))!}`);
    expect(api.body.heldOn).toBe("2026-11-23");
  });

  it("say a year the calendar does not cover is an error, and a review recorded late has its deadlines already overdue", async () => {
    const ivy = await signIn("ivy.reviewer@example.org", GLOS);
    const form = await ivy.get("/record-review");
    const fields = {
      csrf: csrfOf(form.body),
      formId: formIdOf(form.body),
      procedure: "iro",
      childRef: "GLO-CHILD-78",
      team: "prospects-east",
    };
    const old = await ivy.post("/record-review", { ...fields, "heldOn-day": "2", "heldOn-month": "11", "heldOn-year": "1999" });
    expect(old.statusCode).toBe(400);
    expect(old.body).toContain("must be in the years 2000–2050");
    // held Monday 2 November: the audit was due by Thursday 5th, before it was recorded
    const late = await ivy.post("/record-review", { ...fields, "heldOn-day": "2", "heldOn-month": "11", "heldOn-year": "2026" });
    expect(late.statusCode).toBe(201);
    expect(late.body).toContain("already overdue");
    expect(late.body).toContain("Post-review audit: was due by 5pm on Thursday 5 November 2026");
    expect(late.body).not.toContain("now running");
  });

  it("are on the outstanding list of their chair, QA and the team's manager, and of nobody else", async () => {
    for (const [email, sees] of [
      ["ivy.reviewer@example.org", true],
      ["qa-inbox@gloucestershire.example.org", true],
      ["tm-stroud@gloucestershire.example.org", true],
      ["tm-prospects@gloucestershire.example.org", false],
      ["cora.chair@example.org", false],
    ] as const) {
      const b = await signIn(email, GLOS);
      const home = await b.get("/");
      expect(home.body.includes(`/cases/${reference}`), email).toBe(sees);
      expect((await b.get(`/cases/${reference}`)).statusCode, email).toBe(sees ? 200 : 404);
      if (sees) expect(home.body).toMatch(/Post-review audit, after the review on Monday 23 November 2026<br>\s*Ivy Reviewer \(IRO\)/);
    }
    const qa = await signIn("qa-inbox@gloucestershire.example.org", GLOS);
    expect((await qa.get("/?stage=1")).body).not.toContain(`/cases/${reference}`); // reviews have no stage
    expect((await qa.get("/?team=prospects-east")).body).not.toContain(`/cases/${reference}`);
    expect((await qa.get("/?team=stroud-cla")).body).toContain(`/cases/${reference}`);
  });

  it("take their steps from the review's page: the chair rates it, the team manager records the response, a stale form records nothing", async () => {
    const ivy = await signIn("ivy.reviewer@example.org", GLOS);
    const page = await ivy.get(`/cases/${reference}`);
    expect(page.body).toContain("Record the rating");
    const version = versionOf(page.body);
    const none = await ivy.post(`/cases/${reference}/review-steps/rating`, { csrf: csrfOf(page.body), version });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain("Choose the rating");
    const rated = await ivy.post(`/cases/${reference}/review-steps/rating`, { csrf: csrfOf(page.body), version, rating: "red" });
    expect(rated.statusCode).toBe(303);
    const shown = await ivy.get(rated.headers.location as string);
    expect(shown.body).toContain("Recorded: the rating");
    expect(shown.body).toContain("Rated Red");
    // ¶4: after a Red rating, the team manager's response within one month of the review
    expect(shown.body).toContain("Wednesday 23 December 2026");
    const stale = await ivy.post(`/cases/${reference}/review-steps/close`, { csrf: csrfOf(page.body), version });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain("Someone recorded a step on this review since you opened it");
    const tm = await signIn("tm-stroud@gloucestershire.example.org", GLOS);
    const theirs = await tm.get(`/cases/${reference}`);
    expect(theirs.body).toContain("Record the response");
    expect(theirs.body).not.toContain("Close the review"); // the chair's
    const notTheirs = await tm.post(`/cases/${reference}/review-steps/close`, { csrf: csrfOf(theirs.body), version: "2" });
    expect(notTheirs.statusCode).toBe(409);
    expect(notTheirs.body).toContain("This step is not open to you now");
    // the banner says what the record holds, not what the address says
    expect((await tm.get(`/cases/${reference}?recorded=close`)).body).not.toContain("Closed: nothing more will be sent");
    const responded = await tm.post(`/cases/${reference}/review-steps/response`, {
      csrf: csrfOf(theirs.body),
      version: versionOf(theirs.body),
    });
    expect(responded.statusCode).toBe(303);
    const after = await tm.get(`/cases/${reference}`);
    expect(after.body).toMatch(/The response was recorded<\/td><td[^>]*>Tariq Example/);
    const qa = await signIn("qa-inbox@gloucestershire.example.org", GLOS);
    const trail = await qa.get(`/cases/${reference}`);
    expect(trail.body).toContain("Who has opened this statutory review");
    expect(trail.body).toContain("Tariq Example (tm-stroud@gloucestershire.example.org), opened its page");
  });
});

describe("what is not there", () => {
  it("is a page for a browser and JSON for the API; a step not open now says so, with the way back", async () => {
    const page = await new Browser().get("/nowhere");
    expect(page.statusCode).toBe(401); // no Accept: an API client, asked for its key
    const html = await t.app.inject({ method: "GET", url: "/nowhere", headers: { accept: "text/html,application/xhtml+xml" } });
    expect(html.statusCode).toBe(404);
    expect(html.headers["content-type"]).toContain("text/html");
    expect(html.body).toContain("Page not found");
    const api = await t.call("birmingham", "GET", "/nowhere");
    expect(api.status).toBe(404);
    expect(api.body.error).toBe("not_found");
    const tm = await signIn("tm-north@birmingham.example.org");
    const resolve = await tm.get("/cases/BIR-2026-0001/steps/resolve"); // the IRO's step
    expect(resolve.statusCode).toBe(409);
    expect(resolve.body).toContain("This step is not open to you now");
    expect(resolve.body).toContain('href="/cases/BIR-2026-0001"');
    expect((await tm.get("/cases/BIR-2026-0003/steps/resolve")).statusCode).toBe(404); // not theirs to see at all
  });
});

describe("a session", () => {
  it("ends on sign-out, and after SESSION_IDLE_MINUTES without a request", async () => {
    const qa = await signIn("qa-inbox@birmingham.example.org");
    const home = await qa.get("/");
    const out = await qa.post("/sign-out", { csrf: csrfOf(home.body) });
    expect(out.statusCode).toBe(303);
    expect((await qa.get("/")).headers.location).toBe("/sign-in");
    const idle = await signIn("qa-inbox@birmingham.example.org");
    t.clock.advance(31 * 60_000);
    try {
      expect((await idle.get("/")).headers.location).toBe("/sign-in");
    } finally {
      t.clock.advance(-31 * 60_000);
    }
  });

  it("ends when the same browser signs in again: the old cookie opens nothing", async () => {
    const b = await signIn("qa-inbox@birmingham.example.org");
    const old = b.cookies.get("drp_session")!;
    // signed in, the sign-in page sends them home; a link asked for with the form anyway signs them in afresh
    expect((await b.get("/sign-in")).headers.location).toBe("/");
    t.clock.advance(16 * 60_000);
    const home = await b.get("/");
    const before = sink.received.length;
    expect((await b.post("/sign-in", { csrf: csrfOf(home.body), email: "qa-inbox@birmingham.example.org" })).statusCode).toBe(200);
    await sendSignInLinks(deps);
    const mail = sink.received.slice(before).find((m) => m.to.includes("qa-inbox@birmingham.example.org"))!;
    expect((await b.get(new URL(/http:\/\/\S+\/sign-in\/email\/\S+/.exec(mail.text)![0]).pathname)).statusCode).toBe(303);
    expect(b.cookies.get("drp_session")).not.toBe(old);
    expect((await b.get("/")).statusCode).toBe(200);
    const stolen = new Browser();
    stolen.cookies.set("drp_session", old);
    expect((await stolen.get("/")).headers.location).toBe("/sign-in");
  });

  it("cookies are HttpOnly and SameSite=Lax", async () => {
    const b = new Browser();
    const link = await askForLink(b, "qa-inbox@birmingham.example.org");
    const res = await t.app.inject({ method: "GET", url: link, headers: { cookie: b.header() } });
    const set = [res.headers["set-cookie"] ?? []].flat().find((c) => c.startsWith("drp_session="))!;
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Lax/i);
  });
});
