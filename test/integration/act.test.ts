// The link pages without a browser, on a real PostgreSQL: a recipient records
// their response; an IRO's extension with a missing date is asked again; a
// stale link after another step is refused; the pages are what GOV.UK asks.
// Each test raises the dispute it needs, so that any one of them runs alone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkKeys, sealLink } from "../../src/links/token.ts";
import { raiseBody, type TestApp, testApp } from "../support/app.ts";

const SECRET = "iT7-qW2eR9tY4uI1oP6aS3dF8gH0jK5lZxCvBnMq";
let t: TestApp;

async function raise(): Promise<string> {
  const r = await t.call(
    "birmingham",
    "POST",
    "/disputes",
    raiseBody({ confirmed: ["explain_why_informal_failed", "consult_iro_service_ahos", "discuss_actions_with_team_manager"] }),
  );
  return r.body.id;
}

const link = async (
  id: string,
  act: "respond" | "extend" | "resolve",
  ver: number,
  r = "team_manager",
  e = "tm-north@birmingham.example.org",
) =>
  `/act/${await sealLink(linkKeys(Buffer.from(SECRET)), { v: 2, a: "birmingham", d: id, r, e, act, ver, iat: Math.floor(Date.parse("2026-11-05T10:00:00Z") / 1000), exp: 4_000_000_000 })}`;

/** Opens the page, then posts its form back with its cookie and CSRF token. */
async function submit(url: string, form: Record<string, string>) {
  const page = await t.app.inject({ method: "GET", url });
  expect(page.statusCode, page.body).toBe(200);
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const cookie = String(page.headers["set-cookie"]).split(";")[0]!;
  return t.app.inject({
    method: "POST",
    url,
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({ csrf, ...form }).toString(),
  });
}

beforeAll(async () => {
  process.env.DRP_LINK_SECRET = SECRET;
  t = await testApp("2026-11-05T10:00:00Z");
});
afterAll(async () => {
  delete process.env.DRP_LINK_SECRET;
  await t?.close();
});

describe("the link pages", () => {
  it("show the dispute without changing it, in GOV.UK's style, with no script, frame or cache", async () => {
    const id = await raise();
    const page = await t.app.inject({ method: "GET", url: await link(id, "respond", 1) });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<link rel="stylesheet" href="/assets/govuk-frontend.min.css">');
    expect(page.body).toMatch(/<h1 class="govuk-heading-l">Record your response<\/h1>/);
    expect(page.body).not.toContain("Permanence plan has drifted"); // the summary is never shown
    expect(page.headers["content-security-policy"]).toMatch(/script-src 'none'/);
    expect(page.headers["cache-control"]).toBe("no-store");
    expect(page.headers["x-frame-options"]).toBe("DENY");
    expect(String(page.headers["set-cookie"])).toMatch(/HttpOnly; SameSite=Strict/);
    const css = await t.app.inject({ method: "GET", url: "/assets/govuk-frontend.min.css" });
    expect(css.statusCode).toBe(200);
    expect(css.headers["x-content-type-options"]).toBe("nosniff");
    expect((await t.app.inject({ method: "GET", url: "/assets/govuk/template.njk" })).statusCode).toBe(404);
    expect((await t.call("birmingham", "GET", `/disputes/${id}`)).body.version).toBe(1);
  });

  it("record the recipient's response in their name", async () => {
    const id = await raise();
    const done = await submit(await link(id, "respond", 1), { note: "Actions agreed with the social worker." });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.body).toMatch(/Response recorded/);
    const d = await t.call("birmingham", "GET", `/disputes/${id}`);
    expect(d.body.awaiting).toBe("decision");
    expect(d.body.timeline.at(-1)).toMatchObject({ type: "response_recorded", by: { email: "tm-north@birmingham.example.org" } });
  });

  it("refuse a used link, a stale link (the dispute has moved on) and a post without the page's CSRF token", async () => {
    const id = await raise();
    const respond = await link(id, "respond", 1);
    expect((await submit(respond, { note: "Agreed." })).statusCode).toBe(200);
    // the same link, sealed again (as a resent email would carry it): used is used
    const stale = await t.app.inject({ method: "GET", url: await link(id, "respond", 1) });
    expect(stale.statusCode).toBe(410);
    expect(stale.body).toContain("This link has already been used");
    const other = await t.app.inject({ method: "GET", url: await link(id, "resolve", 1, "instigator", "ivy.reviewer@example.org") });
    expect(other.statusCode).toBe(410);
    expect(other.body).toContain("has moved on");
    // a fresh link, for the dispute as it now is: only the missing CSRF token stops it
    const fresh = await link(id, "resolve", 2, "instigator", "ivy.reviewer@example.org");
    expect((await t.app.inject({ method: "GET", url: fresh })).statusCode).toBe(200);
    const forged = await t.app.inject({
      method: "POST",
      url: fresh,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "csrf=made-up",
    });
    expect(forged.statusCode).toBe(403);
    expect((await t.call("birmingham", "GET", `/disputes/${id}`)).body.status).toBe("open");
  });

  it("ask again, with GOV.UK's error summary, when the extension's date is missing", async () => {
    const id = await raise();
    await t.call("birmingham", "POST", `/disputes/${id}/responses`, {});
    const again = await submit(await link(id, "extend", 2, "instigator", "ivy.reviewer@example.org"), {
      "date-day": "31",
      "date-month": "2",
      "date-year": "2026",
    });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain("govuk-error-summary");
    expect(again.body).toContain("Enter the new date");
    expect((await t.call("birmingham", "GET", `/disputes/${id}`)).body.version).toBe(2);
  });
});

describe("the form, checked as the API checks the same step", () => {
  /** Opens the page and posts a raw body with its cookie and CSRF token. */
  async function post(url: string, body: (csrf: string) => string, type = "application/x-www-form-urlencoded") {
    const page = await t.app.inject({ method: "GET", url });
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const cookie = String(page.headers["set-cookie"]).split(";")[0]!;
    return t.app.inject({ method: "POST", url, headers: { cookie, "content-type": type }, payload: body(csrf) });
  }

  it("refuses a field sent twice, a NUL, a JSON body and a year the calendar does not cover, and records nothing", async () => {
    const id = await raise();
    await t.call("birmingham", "POST", `/disputes/${id}/responses`, {});
    const ivy = ["instigator", "ivy.reviewer@example.org"] as const;
    const cases: [string, (csrf: string) => string, number, string?][] = [
      ["resolve", (c) => `csrf=${encodeURIComponent(c)}&note=a&note=b`, 400],
      ["resolve", (c) => `csrf=${encodeURIComponent(c)}&note=a%00b`, 400],
      ["extend", (c) => `csrf=${encodeURIComponent(c)}&date-day=1&date-month=1&date-year=2051`, 400],
      ["extend", (c) => `csrf=${encodeURIComponent(c)}&date-day=1&date-month=1&date-year=1999`, 400],
      ["extend", (c) => `csrf=${encodeURIComponent(c)}&date-day=1&date-day=2&date-month=12&date-year=2026`, 400],
      ["resolve", (c) => JSON.stringify({ csrf: c, note: { a: 1 } }), 415, "application/json"],
    ];
    for (const [act, body, status, type] of cases) {
      const r = await post(await link(id, act as "resolve" | "extend", 2, ...ivy), body, type);
      expect(r.statusCode, `${act} ${body("<csrf>")}`).toBe(status);
      expect(r.body).not.toContain("Sorry, there is a problem");
    }
    expect((await t.call("birmingham", "GET", `/disputes/${id}`)).body).toMatchObject({ version: 2, status: "open" });
  });

  it("refuses a page's CSRF token on another link's form", async () => {
    const id = await raise();
    const respond = await link(id, "respond", 1);
    const page = await t.app.inject({ method: "GET", url: respond });
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const cookie = String(page.headers["set-cookie"]).split(";")[0]!;
    const other = await link(id, "resolve", 1, "instigator", "ivy.reviewer@example.org");
    await t.app.inject({ method: "GET", url: other, headers: { cookie } });
    const r = await t.app.inject({
      method: "POST",
      url: other,
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      payload: `csrf=${encodeURIComponent(csrf)}`,
    });
    expect(r.statusCode).toBe(403);
    expect((await t.call("birmingham", "GET", `/disputes/${id}`)).body.status).toBe("open");
  });
});

describe("who may take a step from a link", () => {
  it("refuses a step that is someone else's, with a page saying whose it is: a Head of Service referring to Cafcass, a copied QA inbox responding", async () => {
    const id = await raise();
    const hosRefers = await link(id, "resolve", 1, "head_of_service", "hos-north@birmingham.example.org");
    const r = await t.app.inject({ method: "GET", url: hosRefers });
    expect(r.statusCode).toBe(403);
    expect(r.body).toContain("This step is not yours to take");
    expect(r.body).toContain("The procedure gives it to the IRO.");
    const qaResponds = await link(id, "respond", 1, "qa_inbox", "qa@birmingham.example.org");
    const q = await t.app.inject({ method: "GET", url: qaResponds });
    expect(q.statusCode).toBe(403);
    expect(q.body).toContain("Case-holding Team Manager");
    // and a form posted to it records nothing
    const post = await t.app.inject({
      method: "POST",
      url: hosRefers,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "csrf=x",
    });
    expect(post.statusCode).toBe(403);
    expect((await t.call("birmingham", "GET", `/disputes/${id}`)).body).toMatchObject({ version: 1, status: "open" });
  });
});
