// OAuth2 for the bounce mailbox. A token given as it is (IMAP_OAUTH2_TOKEN),
// or fetched with the client credentials grant (openid-client): Microsoft 365
// with IMAP_OAUTH2_TENANT, IMAP_OAUTH2_CLIENT_ID and IMAP_OAUTH2_CLIENT_SECRET
// (the app registration needs IMAP.AccessAsApp, and the mailbox granted to its
// service principal); any other provider with IMAP_OAUTH2_TOKEN_URL and
// IMAP_OAUTH2_SCOPE. Tokens are kept until a minute before they run out.
import * as oidc from "openid-client";

export interface AccessToken {
  get(): Promise<string>;
}

export function oauth2FromEnv(env: NodeJS.ProcessEnv = process.env): AccessToken | undefined {
  const fixed = env.IMAP_OAUTH2_TOKEN?.trim();
  if (fixed) return { get: async () => fixed };
  const clientId = env.IMAP_OAUTH2_CLIENT_ID?.trim();
  if (!clientId) return undefined;
  const secret = env.IMAP_OAUTH2_CLIENT_SECRET;
  if (!secret) throw new Error("IMAP_OAUTH2_CLIENT_ID is set without IMAP_OAUTH2_CLIENT_SECRET");
  const tenant = env.IMAP_OAUTH2_TENANT?.trim();
  const tokenUrl =
    env.IMAP_OAUTH2_TOKEN_URL?.trim() ?? (tenant ? `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token` : undefined);
  if (!tokenUrl) throw new Error("OAuth2 for the bounce mailbox needs IMAP_OAUTH2_TENANT (Microsoft 365) or IMAP_OAUTH2_TOKEN_URL");
  const scope = env.IMAP_OAUTH2_SCOPE?.trim() ?? "https://outlook.office365.com/.default";
  return clientCredentials(new URL(tokenUrl), clientId, secret, scope);
}

export function clientCredentials(tokenUrl: URL, clientId: string, secret: string, scope: string): AccessToken {
  const issuer = tokenUrl.origin;
  const config = new oidc.Configuration({ issuer, token_endpoint: tokenUrl.href }, clientId, secret);
  // plain http only to this machine (a test's token endpoint), never over a network
  if (tokenUrl.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(tokenUrl.hostname)) oidc.allowInsecureRequests(config);
  let held: { token: string; until: number } | undefined;
  return {
    async get() {
      if (held && Date.now() < held.until) return held.token;
      const r = await oidc.clientCredentialsGrant(config, { scope });
      held = { token: r.access_token, until: Date.now() + Math.max(0, (r.expires_in ?? 3600) - 60) * 1000 };
      return held.token;
    },
  };
}
