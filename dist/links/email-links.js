import { actionsFor } from "./actions.js";
import { linkKeys, sealLink } from "./token.js";
/** DRP_LINK_DAYS: a whole number of days, 1 to 90 (default 14). */
export function linkDays(raw = process.env.DRP_LINK_DAYS) {
    if (raw === undefined || raw === "")
        return 14;
    const days = Number(raw);
    if (!Number.isInteger(days) || days < 1 || days > 90)
        throw new Error(`DRP_LINK_DAYS must be a whole number of days from 1 to 90, got "${raw}"`);
    return days;
}
export function linkConfigFromEnv(secret) {
    const url = process.env.PUBLIC_URL?.replace(/\/+$/, "");
    if (!url)
        return undefined;
    if (!/^https?:\/\/[^/]+/.test(url))
        throw new Error(`PUBLIC_URL must be an http(s) URL, got "${url}"`);
    return { publicUrl: url, keys: linkKeys(secret()), days: linkDays() };
}
export async function linksFor(cfg, d, date) {
    const person = d.email.to[0];
    // the QA inbox standing in for someone nobody holds the role of is told, not asked to act in their name
    if (!cfg || !person || d.email.redirected)
        return [];
    const iat = Math.floor(date.getTime() / 1000);
    return Promise.all(actionsFor(d.p, d.state, d.n.kind, d.email.audience, d.email.role, d.row.serviceId).map(async (x) => ({
        label: x.label,
        url: `${cfg.publicUrl}/act/${await sealLink(cfg.keys, {
            v: 2,
            a: d.a.id,
            d: d.row.id,
            r: d.email.role,
            e: person.email,
            act: x.action,
            ver: d.row.version,
            iat,
            exp: iat + cfg.days * 86_400,
        })}`,
    })));
}
//# sourceMappingURL=email-links.js.map