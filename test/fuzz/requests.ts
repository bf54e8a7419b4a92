// Generated bad and odd requests for every route: wrong types, missing and
// unknown fields, huge strings, deep nesting, control characters, lone
// surrogates, far dates, negative and huge numbers, wrong content types,
// malformed JSON, prototype names as keys and values, and another
// authority's ids. Used by the fuzz test (in process) and `npm run fuzz`
// (against a live server).
import fc from "fast-check";

export interface FuzzRequest {
  method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH";
  url: string;
  headers: Record<string, string>;
  /** the raw body, if any */
  body?: string;
}

export interface FuzzIds {
  /** a dispute of the key's own authority */
  own: string;
  /** a dispute of another authority */
  other: string;
}

const STEPS = [
  "responses",
  "escalate",
  "extend",
  "resolve",
  "withdraw",
  "cafcass-consultation",
  "cafcass-referral",
  "cafcass-referral-considered",
];
const PROTO = ["__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty"];

const nasty = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "a\u0000b",
    "\ud800",
    "x\udc00y",
    "\r\nSubject: hijacked",
    "<script>alert(1)</script>",
    "'; drop table disputes; --",
    "%00",
    "../../etc/passwd",
    "💥",
    "\u202e",
    ...PROTO,
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.integer({ min: 1, max: 4 }).map((n) => "x".repeat(10 ** n * 3)),
);

const date = fc.oneof(
  fc.constantFrom("2026-11-02", "2026-02-30", "1999-01-01", "2051-01-01", "0001-01-01", "9999-12-31", "2026-13-01", "not a date", ""),
  fc.date({ min: new Date("0001-01-01"), max: new Date("9999-12-31"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
);
const instant = fc.oneof(
  fc.constantFrom(
    "2026-11-02T10:00:00Z",
    "1999-12-31T23:59:59Z",
    "2051-01-01T00:00:00Z",
    "2026-11-02",
    "2026-11-02T25:00:00Z",
    "yesterday",
  ),
  fc.date({ min: new Date("0001-01-01"), max: new Date("9999-12-31"), noInvalidDate: true }).map((d) => d.toISOString()),
);
const number = fc.oneof(
  fc.constantFrom(0, -1, 1, 2, 5, 9, 20, 260, 261, 1e9, -1e9, 1.5, Number.MAX_SAFE_INTEGER),
  fc.integer(),
  fc.double({ noNaN: true }),
);

/** Any JSON value, nasty ones likely, a little nested. */
const anyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    nasty,
    number,
    fc.boolean(),
    fc.constant(null),
    date,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...PROTO), fc.string({ maxLength: 8 })), tie("value"), { maxKeys: 4 }),
  ),
})).value;

function deep(n: number): unknown {
  let v: unknown = "bottom";
  for (let i = 0; i < n; i++) v = { a: [v] };
  return v;
}

const raiseBody = fc.record(
  {
    procedure: fc.oneof(fc.constantFrom("iro", "cp"), anyValue),
    childRef: fc.oneof(fc.constant("CASE-1"), nasty, anyValue),
    raisedBy: fc.oneof(
      fc.record({
        name: fc.oneof(fc.constant("Ivy"), nasty),
        email: fc.oneof(fc.constant("ivy@example.org"), nasty),
        role: fc.oneof(fc.constantFrom("iro", "cp_chair"), nasty),
      }),
      anyValue,
    ),
    team: fc.oneof(fc.constantFrom("cla-north", "cla-a", ...PROTO), nasty),
    stage: fc.oneof(number, anyValue),
    categories: fc.oneof(
      fc.constant(["care_plan_drift"]),
      fc.array(fc.oneof(nasty, fc.constantFrom(...PROTO)), { maxLength: 3 }),
      anyValue,
    ),
    otherCategory: nasty,
    summary: fc.oneof(fc.constant("A concern."), nasty),
    timescaleWorkingDays: number,
    requestedActions: fc.oneof(
      fc.array(fc.record({ action: nasty, by: date, timescaleWorkingDays: number }, { requiredKeys: [] }), { maxLength: 2 }),
      anyValue,
    ),
    confirmed: fc.oneof(fc.array(nasty, { maxLength: 3 }), anyValue),
    at: instant,
  },
  { requiredKeys: [] },
);

const stepBody = fc.record(
  {
    at: instant,
    version: number,
    toStage: number,
    timescaleWorkingDays: number,
    confirmed: fc.array(nasty, { maxLength: 3 }),
    until: date,
    workingDays: number,
    note: nasty,
    outcome: nasty,
    reason: nasty,
    by: fc.oneof(fc.record({ name: nasty, email: nasty }), anyValue),
  },
  { requiredKeys: [] },
);

const directoryBody = fc.oneof(
  fc.constant({}),
  fc.record(
    {
      authority: nasty,
      people: fc.array(fc.record({ id: nasty, name: nasty, email: nasty }, { requiredKeys: [] }), { maxLength: 3 }),
      services: anyValue,
      teams: anyValue,
      roles: fc.dictionary(fc.oneof(fc.constantFrom(...PROTO, "qa_inbox"), nasty), fc.oneof(nasty, fc.array(nasty, { maxLength: 2 })), {
        maxKeys: 3,
      }),
    },
    { requiredKeys: [] },
  ),
);

/** How the body is sent: JSON, broken JSON, the wrong type, nothing, or something huge or deep. */
function encode(body: unknown): fc.Arbitrary<{ body?: string; type?: string }> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant({ body: JSON.stringify(body), type: "application/json" }) },
    fc.constant({ body: JSON.stringify(body).slice(0, -1), type: "application/json" }),
    fc.constant({ body: "{", type: "application/json" }),
    fc.constant({ body: "null", type: "application/json" }),
    fc.constant({ body: "[]", type: "application/json" }),
    fc.constant({ body: '"a string"', type: "application/json" }),
    fc.constant({ body: JSON.stringify(deep(2000)), type: "application/json" }),
    fc.constant({ body: JSON.stringify(body), type: "text/plain" }),
    fc.constant({ body: "a=1&b=2", type: "application/x-www-form-urlencoded" }),
    fc.constant({ body: undefined, type: undefined }),
    fc.constant({ body: JSON.stringify({ ...((body as object) ?? {}), __proto__: { polluted: true } }), type: "application/json" }),
  );
}

/** encodeURIComponent, which throws on a lone surrogate: that one is sent as its raw UTF-8 bytes. */
function q(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return "%ED%A0%80";
  }
}

function disputeId(ids: FuzzIds): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(ids.own) },
    { weight: 2, arbitrary: fc.constant(ids.other) },
    fc.uuid(),
    fc.constantFrom(...PROTO, "..%2F..%2F", "%00", "1", "'", "x".repeat(300)),
    nasty.map(q),
  );
}

/** Every route, with generated parameters, bodies and headers. */
export function fuzzRequests(ids: FuzzIds): fc.Arbitrary<FuzzRequest> {
  const routes: fc.Arbitrary<{ method: FuzzRequest["method"]; url: string; body?: unknown }> = fc.oneof(
    raiseBody.map((body) => ({ method: "POST" as const, url: "/disputes", body })),
    fc
      .tuple(disputeId(ids), fc.constantFrom(...STEPS), stepBody)
      .map(([id, step, body]) => ({ method: "POST" as const, url: `/disputes/${id}/${step}`, body })),
    disputeId(ids).map((id) => ({ method: "GET" as const, url: `/disputes/${id}` })),
    fc
      .record({ status: nasty, overdue: nasty, procedure: nasty, limit: fc.oneof(number.map(String), nasty) }, { requiredKeys: [] })
      .map((p) => ({
        method: "GET" as const,
        url: `/disputes?${Object.entries(p)
          .map(([k, v]) => `${k}=${q(String(v))}`)
          .join("&")}`,
      })),
    fc.constant({ method: "GET" as const, url: "/directory" }),
    directoryBody.map((body) => ({ method: "PUT" as const, url: "/directory", body })),
    fc
      .tuple(fc.oneof(fc.constantFrom("cla-north", ...PROTO), nasty), fc.oneof(fc.constantFrom("team_manager", ...PROTO), nasty))
      .map(([team, role]) => ({
        method: "GET" as const,
        url: `/directory/resolve?team=${q(team)}&role=${q(role)}`,
      })),
    fc
      .constantFrom("/healthz", "/readyz", "/openapi.json", "/metrics", "/nowhere", "/disputes/", "//disputes", "/%2e%2e/")
      .map((url) => ({ method: "GET" as const, url })),
    fc
      .tuple(fc.constantFrom("DELETE" as const, "PATCH" as const), disputeId(ids))
      .map(([method, id]) => ({ method, url: `/disputes/${id}` })),
  );
  return routes.chain((r) =>
    fc
      .record({
        sent: r.body === undefined ? fc.constant({ body: undefined, type: undefined }) : encode(r.body),
        key: fc.constantFrom("own", "own", "own", "other", "none", "garbage"),
        idem: fc.option(fc.oneof(fc.constant("key-1"), nasty), { nil: undefined }),
        ifMatch: fc.option(fc.oneof(fc.constant('"1"'), nasty), { nil: undefined }),
      })
      .map(({ sent, key, idem, ifMatch }) => {
        const headers: Record<string, string> = {};
        if (sent.type) headers["content-type"] = sent.type;
        headers.authorization = key === "none" ? "" : key === "garbage" ? "Bearer drp_garbage" : `Bearer {${key}}`;
        if (idem !== undefined && /^[\x20-\x7e]*$/.test(idem)) headers["idempotency-key"] = idem;
        if (ifMatch !== undefined && /^[\x20-\x7e]*$/.test(ifMatch)) headers["if-match"] = ifMatch;
        return { method: r.method, url: r.url, headers, body: sent.body };
      }),
  );
}

/** What a response must never show: a stack, a query, a file path of ours. */
export const LEAKS =
  /\n\s+at [^\n]*:\d+:\d+|node_modules|\/src\/|Failed query|\b(select|insert|update|delete)\s.+\b(from|into|set)\b|SQLSTATE|postgres/i;
