// The counting rules of every report, in one place. A period runs from its
// first to its last day, in the authority's local dates.
//
// - raised: disputes whose first step is dated in the period.
// - escalated: escalations dated in the period (each one, as the trackers record them).
// - resolved: disputes closed as resolved in the period.
// - outstanding: disputes raised by the period's end and not closed by then.
// - informal / formal: of those raised in the period, formal if they entered a
//   formal stage by the period's end, informal if not.
// - byMonthAndStage: disputes entering each stage (raised at it or escalated
//   to it), by month; Cafcass contact: disputes with a consultation, a
//   referral being considered or a referral in the month.
// - byCategory: disputes raised in the period with each category (a dispute
//   may have several); percent of those raised.
// - byTeam: disputes raised in the period by the child's team, with distinct
//   children (case references) and families (family references, where recorded).
// - timeliness: each stage's response recorded in the period, and each
//   deadline that passed in it with no response; on time if recorded by close
//   of business on the deadline (after any extension); the median in working
//   days from the stage's start to the response.
import { addDays, dayNumber } from "../calendar/dates.js";
import { instantAt, localDate } from "../calendar/local-time.js";
import { roleFor } from "../procedure/model.js";
import { describeTimescale } from "../timeline.js";
import { monthOf } from "./period.js";
import { walkDispute } from "./walk.js";
const within = (d, p) => d >= p.from && d <= p.to;
const pct = (n, of) => (of ? Math.round((1000 * n) / of) / 10 : 0);
function median(xs) {
    if (!xs.length)
        return null;
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
/** The end of the period's last day (or now, if sooner), as an instant. */
export function periodEnd(a, p, now) {
    const end = new Date(instantAt(addDays(p.to, 1), "00:00", a.timeZone).getTime() - 1);
    return end.getTime() < now.getTime() ? end : now;
}
function walkAll(input, period) {
    const until = periodEnd(input.authority, period, input.now);
    const out = [];
    for (const d of input.disputes) {
        if (d.procedure !== input.procedure.id)
            continue;
        const w = walkDispute(input.authority, input.procedure, d.events, until);
        if (w && w.raisedOn <= period.to)
            out.push({ d, w });
    }
    return out;
}
export function summarise(input, period) {
    return summaryOf(walkAll(input, period), period);
}
function summaryOf(walked, period) {
    const s = { raised: 0, escalated: 0, resolved: 0, outstanding: 0, informal: 0, formal: 0 };
    for (const { w } of walked) {
        if (within(w.raisedOn, period)) {
            s.raised++;
            if (w.entries.some((e) => e.formal))
                s.formal++;
            else
                s.informal++;
        }
        s.escalated += w.escalations.filter((d) => within(d, period)).length;
        if (w.closed?.status === "resolved" && within(w.closed.on, period))
            s.resolved++;
        if (!w.closed)
            s.outstanding++;
    }
    return s;
}
const STEP_WORDS = {
    raised: (_e, stage) => `Raised at stage ${stage}`,
    response_recorded: () => "Response recorded",
    extension_agreed: (e) => `Extension agreed, to ${e.until}`,
    escalated: (_e, stage) => `Escalated to stage ${stage}`,
    cafcass_consulted: () => "Cafcass consulted",
    cafcass_referral_considered: () => "Told the officer named that a referral to Cafcass is being considered",
    referred_to_cafcass: () => "Referred to Cafcass",
    resolved: () => "Resolved",
    withdrawn: () => "Withdrawn",
};
export function countProcedure(input) {
    const { authority: a, procedure: p, period } = input;
    const walked = walkAll(input, period);
    const raisedIn = walked.filter(({ w }) => within(w.raisedOn, period));
    const stages = p.stages.map((s) => ({ stage: s.stage, name: s.name, formal: s.formal }));
    const byMonthAndStage = period.months.flatMap((month) => stages.map(({ stage }) => ({
        month,
        stage,
        count: walked.filter(({ w }) => w.entries.some((e) => e.stage === stage && monthOf(e.on) === month && within(e.on, period))).length,
    })));
    const cafcassContactByMonth = period.months.map((month) => ({
        month,
        count: walked.filter(({ w }) => w.cafcassContacts.some((d) => monthOf(d) === month && within(d, period))).length,
    }));
    const categories = [...a.categories.filter((c) => !c.procedures || c.procedures.includes(p.id)), { id: "other", label: "Other" }];
    const byCategory = categories.map((c) => {
        const count = raisedIn.filter(({ d }) => d.categories.includes(c.id)).length;
        return { category: c.id, label: c.label, count, percent: pct(count, raisedIn.length) };
    });
    // every team of the directory, those with none too (Newham Appendix 1 lists each team), and any team a dispute names
    const teamIds = [...new Set([...input.teams.keys(), ...raisedIn.map(({ d }) => d.team)])];
    const byTeam = teamIds
        .map((team) => {
        const mine = raisedIn.filter(({ d }) => d.team === team);
        const cats = new Map();
        for (const { d } of mine)
            for (const c of d.categories)
                cats.set(c, (cats.get(c) ?? 0) + 1);
        return {
            team,
            name: input.teams.get(team) ?? team,
            children: new Set(mine.map(({ d }) => d.childRef)).size,
            families: new Set(mine.map(({ d }) => d.familyRef).filter((f) => !!f)).size,
            count: mine.length,
            categories: [...cats].map(([category, count]) => ({ category, count })),
        };
    })
        .sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    const timeliness = p.stages
        .filter((s) => !s.referral)
        .map((s) => {
        const measured = walked.flatMap(({ w }) => w.responses).filter((r) => r.stage === s.stage && within(r.countedOn, period));
        const onTime = measured.filter((r) => r.onTime).length;
        const days = measured.filter((r) => r.respondedOn).map((r) => a.calendar.workingDaysBetween(r.enteredOn, r.respondedOn));
        return {
            stage: s.stage,
            name: s.name,
            timescale: describeTimescale(p, s.timescale),
            measured: measured.length,
            onTime,
            percentOnTime: measured.length ? pct(onTime, measured.length) : null,
            medianWorkingDays: median(days),
        };
    });
    const endDay = periodEnd(a, period, input.now);
    const outstandingList = walked
        .filter(({ w }) => !w.closed)
        .map(({ d, w }) => {
        const dl = w.state.deadline;
        return {
            reference: d.reference,
            procedure: p.id,
            childRef: d.childRef,
            stage: w.state.stage.stage,
            stageName: w.state.stage.name,
            team: input.teams.get(d.team) ?? d.team,
            teamId: d.team,
            heldBy: w.state.stage.recipient ? roleFor(w.state.stage.recipient, d.service) : null,
            raisedOn: w.raisedOn,
            daysOpen: dayNumber(localDate(endDay, a.timeZone)) - dayNumber(w.raisedOn),
            respondBy: dl.kind === "due" ? dl.date : null,
            overdue: w.state.awaiting === "response" && dl.kind === "due" && dl.at.getTime() < endDay.getTime(),
            awaiting: w.state.awaiting,
        };
    })
        .sort((x, y) => (x.raisedOn < y.raisedOn ? -1 : x.raisedOn > y.raisedOn ? 1 : x.reference < y.reference ? -1 : 1));
    const actionLog = walked
        .flatMap(({ d, w }) => w.steps
        .filter((s) => within(s.on, period))
        .map((s) => ({
        date: s.on,
        reference: d.reference,
        stage: s.stage,
        step: STEP_WORDS[s.event.type](s.event, s.stage),
        by: d.actors[s.seq] ?? "",
        at: s.event.at.getTime(),
    })))
        .sort((x, y) => x.at - y.at || (x.reference < y.reference ? -1 : 1))
        .map(({ at: _at, ...e }) => e);
    return {
        ...summaryOf(walked, period),
        stages,
        byMonthAndStage,
        cafcassContactByMonth,
        byCategory,
        byTeam,
        timeliness,
        outstandingList,
        actionLog,
    };
}
//# sourceMappingURL=count.js.map