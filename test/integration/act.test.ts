// The link pages without a browser, on a real PostgreSQL: a recipient records
// their response; an IRO's extension with a missing date is asked again; a
// stale link after another step is refused; the pages are what GOV.UK asks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signLink } from "../../src/links/token.ts";
import { raiseBody, type TestApp, testApp } from "../support/app.ts";

const SECRET = "an-integration-test-secret-of-40-characters";
let t: TestApp;
let id = "";

const link = (act: "respond" | "extend" | "resolve", ver: number, r = "recipient", e = "tm-north@birmingham.example.org") =>
  `/act/${signLink(Buffer.from(SECRET), { v: 1, a: "birmingham", d: id, r, e, act, ver, exp: 4_000_000_000 })}`;

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
  const r = await t.call(
    "birmingham",
    "POST",
    "/disputes",
    raiseBody({ confirmed: ["explain_why_informal_failed", "consult_iro_service_ahos", "discuss_actions_with_team_manager"] }),
  );
  id = r.body.id;
});
afterAll(async () => {
  delete process.env.DRP_LINK_SECRET;
  await t?.close();
});

describe("the link pages", () => {
  it("show the dispute without changing it, in GOV.UK's style, with no script, frame or cache", async () => {
    const page = await t.app.inject({ method: "GET", url: link("respond", 1) });
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
    expect((await t.app.inject({ method: "GET", url: "/assets/govuk/template.njk" })).statusCode).toBe(404);
    expect((await t.call("birmingham", "GET", `/disputes/${id}`)).body.version).toBe(1);
  });

  it("record the recipient's response in their name", async () => {
    const done = await submit(link("respond", 1), { note: "Actions agreed with the social worker." });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.body).toMatch(/Response recorded/);
    const d = await t.call("birmingham", "GET", `/disputes/${id}`);
    expect(d.body.awaiting).toBe("decision");
    expect(d.body.timeline.at(-1)).toMatchObject({ type: "response_recorded", by: { email: "tm-north@birmingham.example.org" } });
  });

  it("refuse a stale link (the dispute has moved on) and a post without the page's CSRF token", async () => {
    const stale = await t.app.inject({ method: "GET", url: link("respond", 1) });
    expect(stale.statusCode).toBe(410);
    expect(stale.body).toContain("This link has already been used");
    const other = await t.app.inject({ method: "GET", url: link("resolve", 1, "instigator", "ivy.reviewer@example.org") });
    expect(other.statusCode).toBe(410);
    expect(other.body).toContain("has moved on");
    const forged = await t.app.inject({
      method: "POST",
      url: link("resolve", 2, "instigator", "ivy.reviewer@example.org"),
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "csrf=made-up",
    });
    expect(forged.statusCode).toBe(403);
    expect((await t.call("birmingham", "GET", `/disputes/${id}`)).body.status).toBe("open");
  });

  it("ask again, with GOV.UK's error summary, when the extension's date is missing", async () => {
    const again = await submit(link("extend", 2, "instigator", "ivy.reviewer@example.org"), {
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
