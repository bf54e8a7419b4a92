// The bounce mailbox's OAuth2: the client credentials grant against a token
// endpoint on loopback (as Microsoft's answers it), the token kept until a
// minute before it runs out; and the settings it is read from.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { imapSettingsFromEnv } from "../../src/mail/inbound/imap-mailbox.ts";
import { clientCredentials, oauth2FromEnv } from "../../src/mail/inbound/oauth2.ts";

let server: Server;
let url: string;
const asked: { auth?: string; body: string }[] = [];
let expiresIn = 3599;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += String(c)));
    req.on("end", () => {
      asked.push({ auth: req.headers.authorization, body });
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ token_type: "Bearer", expires_in: expiresIn, access_token: `token-${asked.length}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tenant/oauth2/v2.0/token`;
});
afterAll(() => server?.close());

describe("the client credentials grant", () => {
  it("asks with the client's id and secret and the scope, and keeps the token until a minute before it runs out", async () => {
    const token = clientCredentials(new URL(url), "app-id", "app-secret", "https://outlook.office365.com/.default");
    expect(await token.get()).toBe("token-1");
    expect(await token.get()).toBe("token-1");
    expect(asked).toHaveLength(1);
    const form = new URLSearchParams(asked[0]!.body);
    expect(form.get("grant_type")).toBe("client_credentials");
    expect(form.get("scope")).toBe("https://outlook.office365.com/.default");
    const basic = asked[0]!.auth ?? "";
    const id = basic.startsWith("Basic ")
      ? Buffer.from(basic.slice(6), "base64").toString()
      : `${form.get("client_id")}:${form.get("client_secret")}`;
    expect(decodeURIComponent(id)).toBe("app-id:app-secret");
    // a token that runs out within the minute is asked for afresh
    expiresIn = 30;
    const short = clientCredentials(new URL(url), "app-id", "app-secret", "s");
    expect(await short.get()).toBe("token-2");
    expect(await short.get()).toBe("token-3");
  });

  it("from the settings: Microsoft 365's endpoint from the tenant, or the one given", () => {
    expect(() => oauth2FromEnv({ IMAP_OAUTH2_CLIENT_ID: "x" })).toThrow(/without IMAP_OAUTH2_CLIENT_SECRET/);
    expect(() => oauth2FromEnv({ IMAP_OAUTH2_CLIENT_ID: "x", IMAP_OAUTH2_CLIENT_SECRET: "y" })).toThrow(/IMAP_OAUTH2_TENANT/);
    expect(oauth2FromEnv({ IMAP_OAUTH2_CLIENT_ID: "x", IMAP_OAUTH2_CLIENT_SECRET: "y", IMAP_OAUTH2_TENANT: "t" })).toBeDefined();
    expect(oauth2FromEnv({})).toBeUndefined();
  });
});

describe("IMAP_URL", () => {
  it("names the account, the server and the folder; the password or a token is needed", () => {
    const s = imapSettingsFromEnv({
      IMAP_URL: "imaps://drp-bounces%40council.example@outlook.office365.com/INBOX",
      IMAP_OAUTH2_TOKEN: "t",
    });
    expect(s).toMatchObject({
      host: "outlook.office365.com",
      port: 993,
      secure: true,
      user: "drp-bounces@council.example",
      folder: "INBOX",
    });
    expect(s?.token).toBeDefined();
    expect(s).not.toHaveProperty("pass");
    expect(imapSettingsFromEnv({ IMAP_URL: "imap://u:p%40ss@h:1143/Bounces" })).toMatchObject({
      port: 1143,
      secure: false,
      pass: "p@ss",
      folder: "Bounces",
    });
    expect(() => imapSettingsFromEnv({ IMAP_URL: "imaps://h/INBOX", IMAP_PASSWORD: "x" })).toThrow(/names no account/);
    expect(() => imapSettingsFromEnv({ IMAP_URL: "imaps://u@h/INBOX" })).toThrow(/IMAP_PASSWORD, or OAuth2/);
    expect(() => imapSettingsFromEnv({ IMAP_URL: "https://u@h/INBOX", IMAP_PASSWORD: "x" })).toThrow(/imap:\/\/ or imaps:\/\//);
    expect(imapSettingsFromEnv({})).toBeUndefined();
  });
});
