// The facts every email's wording draws on, worked out once per email: the
// procedure's own nouns (alert, level, child protection plan), the titles of
// roles as resolved for the child's service, dates in words, how late
// something is, and citations that name the authority's document.
import { longDate } from "../../domain/calendar/dates.js";
import { localDate } from "../../domain/calendar/local-time.js";
import { cite, nextStage, recipientLabel, roleFor, roleLabel, stageOf, } from "../../domain/procedure/model.js";
import { INSTIGATOR_LABELS } from "../../domain/procedure/roles.js";
/** "17:00" → "5pm", "17:30" → "5:30pm" (GOV.UK style). */
export function twelveHour(time) {
    const [h, m] = time.split(":").map(Number);
    const suffix = h >= 12 ? "pm" : "am";
    const hour = h % 12 === 0 ? 12 : h % 12;
    return m ? `${hour}:${String(m).padStart(2, "0")}${suffix}` : `${hour}${suffix}`;
}
export const capital = (s) => s.charAt(0).toUpperCase() + s.slice(1);
const article = (noun) => (/^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`);
export const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
export function wordsFor(input) {
    const { authority: a, procedure: p, state: s, dispute: d, notification: n, addressing, role, now } = input;
    const email = addressing.emails.find((e) => e.key === role);
    if (!email)
        throw new Error(`no addressee "${role}" in notification ${n.key}`);
    const stage = stageOf(p, n.stage) ?? s.stage;
    const today = localDate(now, a.timeZone);
    const byWhen = (date) => `${twelveHour(a.closeOfBusiness)} on ${longDate(date)}`;
    const recipientTitle = recipientLabel(a, stage.recipient, d.serviceId);
    const recipients = addressing.emails.filter((e) => !e.copy && e.audience === "recipient").flatMap((e) => e.to);
    // "Henrik Example (Head of Service, HoS)": a title's own parenthesis is not nested in the name's
    const recipientNamed = recipients.length
        ? `${recipients.map((x) => x.name).join(", ")} (${recipientTitle.replace(/ \(([^()]+)\)$/, ", $1")})`
        : `the ${recipientTitle}`;
    const limit = p.overallLimit;
    const o = s.overall;
    const instigatorTitle = INSTIGATOR_LABELS[d.raisedByRole] ?? roleLabel(a, d.raisedByRole);
    return {
        a,
        p,
        s,
        d,
        n,
        email,
        addressing,
        audience: email.audience,
        terms: p.terms,
        Noun: capital(p.terms.dispute),
        aNoun: article(p.terms.dispute),
        aPlan: /\bchild\b/i.test(p.terms.plan) ? article(p.terms.plan) : `a child's ${p.terms.plan}`,
        ref: d.reference,
        stage,
        // "stage 0" means nothing to a reader: an informal stage is "the informal stage"
        stageNo: stage.formal ? `${p.terms.stage} ${stage.stage}` : `the informal ${p.terms.stage}`,
        who: `${d.raisedByName} (${instigatorTitle})`,
        instigatorName: d.raisedByName,
        instigatorTitle,
        recipientTitle,
        recipientNamed,
        today,
        due: n.deadline ? byWhen(n.deadline.date) : undefined,
        dueDate: n.deadline?.date,
        lateBy: n.deadline ? a.calendar.workingDaysBetween(n.deadline.date, today) : 0,
        pastDue: n.deadline !== undefined && now.getTime() >= n.deadline.at.getTime(),
        overall: o && limit
            ? {
                date: o.date,
                by: byWhen(o.date),
                workingDays: limit.workingDays,
                source: limit.source,
                left: a.calendar.workingDaysBetween(today, o.date),
            }
            : undefined,
        cite: (source) => cite(a, source),
        byWhen,
        howToRespond: p.howToRespond?.replaceAll("{instigator}", d.raisedByName) ?? `Please send your response to ${d.raisedByName}.`,
    };
}
/** Where the overall limit stands: never a negative count. */
export function limitSentence(w) {
    const o = w.overall;
    if (!o)
        return undefined;
    if (o.left >= o.workingDays)
        return `The ${o.workingDays}-working-day limit ends at ${o.by}.`;
    if (o.left > 0)
        return `${plural(o.left, "working day")} of the ${o.workingDays} remain: the limit ends at ${o.by}.`;
    if (o.left === 0)
        return `The ${o.workingDays}-working-day limit ends today, at ${o.by}.`;
    return `The ${o.workingDays}-working-day limit passed ${plural(-o.left, "working day")} ago, on ${longDate(o.date)}.`;
}
/** "It was due by …" with how late, when it is. */
export function lateness(w) {
    if (!w.due)
        return "";
    if (w.lateBy <= 0)
        return `It was due by ${w.due}.`;
    return `It was due by ${w.due}, ${plural(w.lateBy, "working day")} ago.`;
}
/** The next stage in words: "escalate it to stage 2, the Head of Service" or "refer it to Cafcass (stage 5)". */
export function nextStepWords(w) {
    const next = w.n.escalation?.nextStage;
    if (!next)
        return undefined;
    const at = `${w.terms.stage} ${next.stage}`;
    if (next.referral)
        return `refer it to Cafcass (${at})`;
    return `escalate it to ${at}, the ${roleLabel(w.a, next.recipient ?? "")}`;
}
/** What a copied person is asked to do at this stage, if the procedure says: said when the stage is announced. */
export function tasksForCopied(w) {
    if (w.n.kind !== "stage_raised")
        return [];
    return w.stage.forCopied
        .filter((f) => f.role === undefined || roleFor(f.role, w.d.serviceId) === w.email.role)
        .flatMap((f) => {
        // a sentence that says something was done, only when the record shows it
        const text = !f.ifRecorded || w.s.confirmed.includes(f.ifRecorded) ? f.text : f.otherwise;
        return text ? [`${text} (${w.cite(f.source)})`] : [];
    });
}
/** The "for information" line for a copied person, or what the procedure asks of them instead. */
export function copiedLine(w) {
    const tasks = tasksForCopied(w);
    if (tasks.length)
        return tasks;
    return [`You are copied for information: nothing is asked of you.`];
}
/** The procedure's reminders for the instigator (the national standards: keep the child informed). */
export function instigatorLists(w) {
    if (w.s.closed)
        return []; // nothing more to do once it is closed
    const notes = w.p.instigatorNotes.map((x) => `${x.text} (${w.cite(x.source)})`);
    return notes.length ? [{ lead: "The procedure also asks you to:", items: notes }] : [];
}
/** Who is prompted when this stage's time runs out: the instigator, or the role that escalates in their place. */
export function whoDecides(w, you = false) {
    const next = nextStage(w.p, w.stage, w.s.raisedBy);
    if (next?.escalatedBy)
        return `the ${recipientLabel(w.a, next.escalatedBy, w.d.serviceId)}`;
    return you ? "you" : w.instigatorName;
}
/** A copy says first that it is for information, in its heading and preheader alike: nothing in it is asked of the reader. */
export function forInformation(copied, text) {
    if (!copied)
        return text;
    const prefix = (s) => (/^For information\b/.test(s) ? s : `For information: ${s.charAt(0).toLowerCase()}${s.slice(1)}`);
    return { ...text, heading: prefix(text.heading), preheader: prefix(text.preheader) };
}
/** "the Quality Manager, the Head of Quality and the Deputy / Assistant Director" */
export function listOf(items) {
    return items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
//# sourceMappingURL=words.js.map