// The email with a sign-in link: asked for on the sign-in page, to an address
// the authority's directory holds. It carries no case, name of a child or
// anything else from the record: only the link, how long it works, and what to
// do if the reader did not ask for it.
import type { Authority } from "../domain/procedure/model.ts";
import type { EmailView } from "./model.ts";

export function signInEmailView(
  a: Authority,
  to: { name: string; email: string },
  link: string,
  asked: { at: Date; minutes: number },
  from: string,
): EmailView {
  const time = asked.at.toLocaleTimeString("en-GB", { timeZone: a.timeZone, hour: "2-digit", minute: "2-digit" });
  return {
    kind: "sign_in_link",
    audience: "recipient",
    subject: [a.protectiveMarking, `Sign in to ${a.name}'s dispute resolution tracker`].filter(Boolean).join(" "),
    preheader: `Your sign-in link, asked for at ${time}. It works once, for ${asked.minutes} minutes.`,
    heading: "Sign in to the dispute resolution tracker",
    authorityName: a.name,
    protectiveMarking: a.protectiveMarking,
    recipient: { name: to.name, role: to.email },
    paragraphs: [
      `A sign-in link for ${to.email} was asked for at ${time}. Press the button to sign in.`,
      `The link works once, for ${asked.minutes} minutes, and only in the browser where it was asked for.`,
      "If you did not ask for it, you need do nothing: no one can sign in with it from another browser. Do not pass it on.",
    ],
    lists: [],
    banners: [],
    source: "drp-monitor sign-in",
    instigator: { name: "drp-monitor", email: from, role: "system" },
    footer: `You are receiving this because your address is in ${a.name}'s directory for the dispute resolution process.`,
    actions: [{ label: "Sign in", url: link }],
    actionsNote: `The link signs you in, once, within ${asked.minutes} minutes, in the browser where you asked for it.`,
  };
}
