// Notices of what happened: the dispute closed, a referral to Cafcass was
// considered or made, an informal stage opened or closed. Nobody is asked to
// respond to these, except what a procedure asks of the officer it names.
import { longDate } from "../../domain/calendar/dates.js";
import { localDate } from "../../domain/calendar/local-time.js";
import { nextStage, recipientLabel, referralOfficers } from "../../domain/procedure/model.js";
import { nameAndTitle } from "../addressing.js";
import { capital, copiedLine, instigatorLists, listOf } from "./words.js";
const STATUS_WORDS = {
    open: "open",
    resolved: "resolved",
    referred_to_cafcass: "closed as a referral to Cafcass",
    withdrawn: "withdrawn",
};
export function closed(w) {
    const s = w.s;
    const status = STATUS_WORDS[s.status];
    const on = s.closed ? longDate(localDate(s.closed.at, w.a.timeZone)) : "";
    const heading = `${w.Noun} ${w.ref} is ${status}`;
    const what = `This ${w.terms.dispute}, raised by ${w.who}, was ${status} on ${on}, at ${w.stageNo}.`;
    if (w.audience === "recipient") {
        return {
            heading,
            preheader: `Closed on ${on}. No further response is needed from you.`,
            paragraphs: [what, "No further response is needed from you. The outcome is recorded on the child's case record."],
        };
    }
    if (w.audience === "instigator") {
        const copies = [...new Set(w.addressing.emails.filter((e) => e.copy && e.to.length).map((e) => `the ${e.roleLabel}`))];
        // what the procedure asks of the instigator at the close: the record of the resolution, the outcome statement
        const asks = [
            ...(s.status === "resolved" && w.stage.whenResolved ? [w.stage.whenResolved] : []),
            ...(w.p.whenClosed ? [w.p.whenClosed] : []),
        ];
        return {
            heading,
            preheader: `Recorded as ${status} on ${on}.`,
            paragraphs: [
                `Your ${w.terms.dispute} was recorded as ${status} on ${on}, at ${w.stageNo}.`,
                ...(copies.length ? [`A copy goes to ${listOf(copies)}${w.p.closing ? " for the tracker" : ""}.`] : []),
            ],
            lists: asks.length ? [{ lead: "The procedure asks you to:", items: asks }] : [],
        };
    }
    return {
        heading: `For information: ${heading.charAt(0).toLowerCase()}${heading.slice(1)}`,
        preheader: `Closed on ${on}.`,
        paragraphs: [what, ...copiedLine(w)],
    };
}
/** Why the reader is told: the procedure's own reason, the Handbook's nominated officer, or the QA inbox standing in where the procedure names none. */
function officerLine(w) {
    const c = w.p.cafcass;
    if (c?.officersAre)
        return `${c.officersAre.told} (${w.cite(c.officersAre.source)}).`;
    return c?.nominatedOfficers.length
        ? "You are told as the authority's nominated officer for Cafcass referrals (IRO Handbook 8.12)."
        : "The procedure names no nominated officer for Cafcass referrals, so the QA inbox is told (IRO Handbook 8.12): please make sure the right senior officer knows.";
}
function officers(w) {
    const told = w.addressing.emails.filter((e) => !e.copy && e.to.length);
    return listOf(told.flatMap((e) => e.to.map((p) => nameAndTitle(p.name, e.roleLabel)))) || referralOfficers(w.p).title;
}
export function referralConsidered(w) {
    const before = w.p.cafcass?.beforeReferral;
    const heading = `A referral of ${w.terms.dispute} ${w.ref} to Cafcass is being considered`;
    if (w.audience === "recipient") {
        return {
            heading,
            preheader: `${w.instigatorName} is considering a referral to Cafcass, and tells you first.`,
            paragraphs: [
                `${w.who} is considering referring this ${w.terms.dispute}, at ${w.stageNo}, to Cafcass. No referral has been made yet.`,
                officerLine(w),
                `${w.instigatorName} will explain the reasons, including any decision to curtail the dispute resolution process to meet the child's needs.`,
            ],
        };
    }
    if (w.audience === "instigator") {
        return {
            heading,
            preheader: `${capital(referralOfficers(w.p).title)} ${referralOfficers(w.p).verb === "are" ? "have" : "has"} been told.`,
            paragraphs: [
                `${capital(officers(w))} ${/ and /.test(officers(w)) ? "have" : "has"} been told that a referral to Cafcass is being considered.`,
            ],
            lists: [
                ...(before ? [{ lead: "The procedure asks you to:", items: [`${before.text} (${w.cite(before.source)})`] }] : []),
                ...instigatorLists(w),
            ],
        };
    }
    return {
        heading: `For information: ${heading.charAt(0).toLowerCase()}${heading.slice(1)}`,
        preheader: `${w.instigatorName} is considering a referral to Cafcass.`,
        paragraphs: [
            `${w.who} is considering referring this ${w.terms.dispute}, at ${w.stageNo}, to Cafcass, and has told ${officers(w)}.`,
            ...copiedLine(w),
        ],
    };
}
export function referral(w) {
    const open = !w.s.closed;
    const who = w.audience === "instigator" ? "you continue" : `${w.instigatorName} continues`;
    const where = open
        ? `The ${w.terms.dispute} stays open at ${w.stageNo}: ${who} to seek a resolution alongside Cafcass.`
        : `The ${w.terms.dispute} is now ${STATUS_WORDS[w.s.status]}.`;
    const heading = `${w.Noun} ${w.ref} has been referred to Cafcass`;
    if (w.audience === "recipient") {
        return {
            heading,
            preheader: `${w.instigatorName} has referred this ${w.terms.dispute} to Cafcass.`,
            paragraphs: [`${w.who} has referred this ${w.terms.dispute} to Cafcass, at ${w.stageNo}.`, officerLine(w), where],
        };
    }
    if (w.audience === "instigator") {
        return {
            heading: `Your referral of ${w.terms.dispute} ${w.ref} to Cafcass is recorded`,
            preheader: `Recorded, and ${officers(w)} is told. This service does not contact Cafcass.`,
            paragraphs: [
                `Your referral to Cafcass is recorded, at ${w.stageNo}. ${capital(officers(w))} ${/ and /.test(officers(w)) ? "are" : "is"} emailed at the same time.`,
                "This service does not contact Cafcass: make the referral itself in the usual way.",
                where,
            ],
            lists: instigatorLists(w),
        };
    }
    return {
        heading: `For information: ${heading.charAt(0).toLowerCase()}${heading.slice(1)}`,
        preheader: `${w.instigatorName} has referred this ${w.terms.dispute} to Cafcass.`,
        paragraphs: [`${w.who} has referred this ${w.terms.dispute} to Cafcass, at ${w.stageNo}.`, where, ...copiedLine(w)],
    };
}
function informalFacts(w) {
    return `${w.who} has opened ${w.aNoun} about ${w.aPlan}, to be resolved informally: ${w.stage.name}.`;
}
export function informalOpened(w) {
    const register = w.stage.register;
    return {
        heading: `Informal ${w.terms.dispute} ${w.ref} opened`,
        preheader: `${w.instigatorName} has opened an informal ${w.terms.dispute}: for the register.`,
        paragraphs: [
            informalFacts(w),
            w.audience === "recipient"
                ? `Please record it on the register of ${w.terms.dispute}s${register ? ` (${w.cite(register.source)})` : ""}.`
                : copiedLine(w).join(" "),
        ],
    };
}
export function informalClosed(w) {
    const register = w.stage.register;
    const how = w.s.closed && w.s.stage.stage === w.stage.stage
        ? STATUS_WORDS[w.s.status]
        : `moved to ${w.terms.stage} ${w.s.stage.stage} (${w.s.stage.formal ? "formal" : "informal"})`;
    return {
        heading: `Informal ${w.terms.dispute} ${w.ref} closed: ${how}`,
        preheader: `The informal ${w.terms.stage} has closed: for the register.`,
        paragraphs: [
            `${w.who} has closed the informal ${w.terms.stage} (${w.stage.name}): ${how}.`,
            w.audience === "recipient"
                ? `Please update the register of ${w.terms.dispute}s${register ? ` (${w.cite(register.source)})` : ""}.`
                : copiedLine(w).join(" "),
        ],
    };
}
/** A response was recorded: the instigator decides what happens next, by the procedure's date where it sets one. */
export function responseRecorded(w) {
    const on = w.s.respondedAt ? longDate(localDate(w.s.respondedAt, w.a.timeZone)) : longDate(w.today);
    const after = nextStage(w.p, w.s.stage, w.s.raisedBy);
    const next = !after
        ? undefined
        : after.referral
            ? `refer it to Cafcass (${w.terms.stage} ${after.stage})`
            : `escalate it to ${w.terms.stage} ${after.stage}, the ${recipientLabel(w.a, after.recipient, w.d.serviceId)}`;
    const decide = w.due
        ? `The procedure asks for the outcome to be recorded by ${w.due} (${w.cite(w.n.source)}): resolve the ${w.terms.dispute} if the response settles it${next ? `, or ${next}` : ""}.`
        : `Decide what happens next: resolve the ${w.terms.dispute} if the response settles it${next ? `, or ${next}` : ""}.`;
    return {
        heading: `A response to ${w.stageNo} of ${w.terms.dispute} ${w.ref} is recorded`,
        preheader: w.due ? `Record the outcome by ${w.due}.` : "Decide what happens next.",
        paragraphs: [
            `The ${w.recipientTitle} recorded a response to ${w.stageNo} on ${on}.`,
            "The response itself is on the child's case record: it is not copied into emails.",
            decide,
        ],
        lists: instigatorLists(w),
    };
}
/** The dispute moved on from a stage: its recipient is told who holds it now, and their deadline is withdrawn. */
export function stageLeft(w) {
    const left = w.s.left;
    const on = left ? longDate(localDate(left.at, w.a.timeZone)) : longDate(w.today);
    const now = w.s.stage;
    const nowNo = now.formal ? `${w.terms.stage} ${now.stage}` : `the informal ${w.terms.stage}`;
    const holder = now.referral
        ? "It has been referred to Cafcass."
        : now.recipient
            ? `The ${recipientLabel(w.a, now.recipient, w.d.serviceId)} holds it now.`
            : "";
    const calendar = left?.deadline.kind === "due" ? " This email withdraws its deadline from your calendar." : "";
    return {
        heading: `For information: ${w.terms.dispute} ${w.ref} has moved to ${nowNo}`,
        preheader: `For information: it moved to ${nowNo} on ${on}. Nothing more is asked of you at ${w.stageNo}.`,
        paragraphs: [
            `This ${w.terms.dispute}, raised by ${w.who}, moved from ${w.stageNo} to ${nowNo} on ${on}. ${holder}`.trim(),
            `Nothing more is asked of you at ${w.stageNo}.${calendar}`,
        ],
    };
}
//# sourceMappingURL=notices.js.map