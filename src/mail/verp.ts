// Each email's envelope sender (its Return-Path) is an address of its own on
// the authority's bounce mailbox (VERP): BOUNCE_ADDRESS=drp-bounces@council.example
// sends an email as drp-bounces+<token>@council.example, so a delivery report
// or an automatic reply that comes back maps to exactly one outbox row, and so
// one addressee, whatever the report's format. The token is the row's own
// random `bounce_token`, set when the row is first written: it carries no
// reference, name or id, and nobody can make one up for another email.

/** drp-bounces@council.example and a row's token → drp-bounces+<token>@council.example */
export function verpAddress(bounceAddress: string, token: string): string {
  const at = bounceAddress.lastIndexOf("@");
  return `${bounceAddress.slice(0, at)}+${token}@${bounceAddress.slice(at + 1)}`;
}

/** The token in an address made by verpAddress for this bounce mailbox; undefined for any other address. */
export function tokenOf(bounceAddress: string, address: string): string | undefined {
  const at = bounceAddress.lastIndexOf("@");
  const local = bounceAddress.slice(0, at).toLowerCase();
  const domain = bounceAddress.slice(at + 1).toLowerCase();
  const m = /^([^@+]+)\+([0-9a-f]{20})@([^@]+)$/i.exec(address.trim().replace(/^<|>$/g, ""));
  if (!m || m[1]!.toLowerCase() !== local || m[3]!.toLowerCase() !== domain) return undefined;
  return m[2]!.toLowerCase();
}

/** BOUNCE_ADDRESS, checked: an address whose local part has no "+" (the token follows it). */
export function bounceAddressFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = env.BOUNCE_ADDRESS?.trim();
  if (!v) return undefined;
  if (!/^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/.test(v) || v.split("@")[0]!.length > 40)
    throw new Error(
      `BOUNCE_ADDRESS must be a plain mailbox address such as drp-bounces@council.example (letters, digits, . _ - before the @, no "+"), not "${v}"`,
    );
  return v;
}
