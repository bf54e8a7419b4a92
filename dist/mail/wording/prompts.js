// What the instigator (or whoever escalates in their place) reads when a
// stage's time runs out, and the overall limit's warning and breach. The
// procedure's instructions for the instigator appear here and only here.
import { longDate } from "../../domain/calendar/dates.js";
import { recipientLabel } from "../../domain/procedure/model.js";
import { copiedLine, instigatorLists, limitSentence, nextStepWords, plural } from "./words.js";
function whatHappened(w) {
    const reason = w.n.escalation?.reason;
    if (reason === "response_overdue" && w.stage.meeting?.required)
        return `No meeting with ${w.recipientNamed} on ${w.stageNo} was recorded by ${w.due}.`;
    if (reason === "response_overdue")
        return `No response from ${w.recipientNamed} to ${w.stageNo} was recorded by ${w.due}.`;
    if (reason === "decision_due")
        return `A response to ${w.stageNo} has been recorded. Please record whether the matter is resolved, or escalate it, by ${w.due}.`;
    if (reason === "decision_overdue")
        return `A response to ${w.stageNo} has been recorded. The outcome was due by ${w.due} and is not recorded yet: please record whether the matter is resolved, or escalate it.`;
    if (reason === "informal_timescale_ended")
        return `The time agreed for resolving the matter informally ended at ${w.due}.`;
    return `The time for ${w.stageNo} ended at ${w.due}; a response was recorded.`;
}
function extensionsLeft(w, last) {
    const max = w.stage.extensions.max;
    const left = max === null ? undefined : max - w.s.extensionsThisStage;
    const why = w.stage.extensions.source ? ` (${w.cite(w.stage.extensions.source)})` : "";
    if (left === 0)
        return `No extension may be agreed at this ${w.terms.stage}${why}. If the matter is resolved, you can record that it is${last ? "" : "; if not, take the next step"}.`;
    const more = w.s.extensionsThisStage > 0 ? " more" : "";
    const times = left === 1 ? `once${more}` : `${left}${more} times`;
    const may = `You may${last ? "" : " also"} agree an extension, or record that the matter is resolved.`;
    return left === undefined ? may : `${may} This ${w.terms.stage} may be extended ${times}${why}.`;
}
export function escalationPrompt(w) {
    const e = w.n.escalation;
    const next = e?.nextStage;
    const step = nextStepWords(w);
    const informal = e?.reason === "informal_timescale_ended";
    const escalator = e?.escalatedBy ? recipientLabel(w.a, e.escalatedBy, w.d.serviceId) : undefined;
    const isEscalator = escalator !== undefined && w.email.role === e?.escalatedBy;
    const heading = e?.reason === "decision_due"
        ? `Record the outcome of ${w.terms.dispute} ${w.ref} by ${w.due}`
        : e?.reason === "decision_overdue"
            ? `The outcome of ${w.terms.dispute} ${w.ref} was due by ${w.due}`
            : informal
                ? `Decide whether to start the formal process for ${w.terms.dispute} ${w.ref}`
                : next?.referral
                    ? `Decide whether to refer ${w.terms.dispute} ${w.ref} to Cafcass`
                    : next
                        ? `Decide whether to escalate ${w.terms.dispute} ${w.ref} to ${w.terms.stage} ${next.stage}`
                        : `The last ${w.terms.stage} of ${w.terms.dispute} ${w.ref} has run its time`;
    const refer = w.p.cafcass?.referralBy.includes(w.s.raisedBy);
    const nextLine = !next
        ? `This is the last ${w.terms.stage} of the procedure.${refer ? " If the matter is not resolved, the next step is a referral to Cafcass." : ""}`
        : informal
            ? `If the matter is not resolved, the next step is to start the formal process at ${w.terms.stage} ${next.stage}, the ${recipientLabel(w.a, next.recipient)}.`
            : escalator && isEscalator
                ? `If the matter is not resolved, the procedure asks you, as ${escalator}, to ${step}.`
                : escalator
                    ? `If the matter is not resolved, the procedure has the ${escalator} ${step}; they have been sent this prompt too.`
                    : `If the matter is not resolved, the next step is to ${step}.`;
    const limit = limitSentence(w);
    const lists = [
        ...(next?.requires.length
            ? [
                {
                    lead: `Before ${informal ? "starting" : "escalating to"} ${w.terms.stage} ${next.stage}, the procedure asks you to:`,
                    items: next.requires,
                },
            ]
            : []),
    ];
    return {
        heading,
        preheader: `${whatHappened(w)}${limit && w.overall && w.overall.left < 0 ? ` The ${w.overall.workingDays}-working-day limit has passed.` : ""}`,
        paragraphs: [whatHappened(w), nextLine, ...(informal ? [] : [extensionsLeft(w, !next)]), ...(limit ? [limit] : [])],
        lists: [...lists, ...instigatorLists(w)],
        // the procedure's advice once, not twice: where the next stage's conditions are listed above, they say it
        inset: lists.length ? undefined : e?.whenTimescaleEnds,
    };
}
function limitFacts(w) {
    const o = w.overall;
    return `The formal process for this ${w.terms.dispute} began on ${longDate(w.s.formalStartedOn)} and must take no more than ${o.workingDays} working days (${w.cite(o.source)}).`;
}
export function overallWarning(w) {
    const o = w.overall;
    const where = `It is at ${w.stageNo}, with the ${w.recipientTitle || w.stage.name}.`;
    return {
        heading: `${o.workingDays}-working-day limit for ${w.terms.dispute} ${w.ref} ends ${o.by}`,
        preheader: limitSentence(w) ?? "",
        paragraphs: [
            limitFacts(w),
            `${where} ${limitSentence(w)}`,
            ...(w.audience === "instigator" ? [] : [`${w.instigatorName} has been told.`, ...copiedLine(w)]),
        ],
        lists: w.audience === "instigator" ? instigatorLists(w) : [],
    };
}
export function overallBreach(w) {
    const o = w.overall;
    const when = o.left < 0 ? `${plural(-o.left, "working day")} ago, at ${o.by}` : `at ${o.by}`;
    return {
        heading: `${w.Noun} ${w.ref} has passed its ${o.workingDays}-working-day limit`,
        preheader: `The limit ended ${when}, and the ${w.terms.dispute} is still open at ${w.stageNo}.`,
        paragraphs: [
            `The formal process for this ${w.terms.dispute} began on ${longDate(w.s.formalStartedOn)}. Its ${o.workingDays} working days (${w.cite(o.source)}) ended ${when}, and it is still open at ${w.stageNo}, with the ${w.recipientTitle || w.stage.name}.`,
            ...(w.audience === "instigator" ? [] : [`${w.instigatorName} has been told.`, ...copiedLine(w)]),
        ],
        lists: w.audience === "instigator" ? instigatorLists(w) : [],
        // no stage's advice in a breach notice: the time it was for has passed
    };
}
//# sourceMappingURL=prompts.js.map