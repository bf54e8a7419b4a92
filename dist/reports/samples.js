import { instantAt } from "../domain/calendar/local-time.js";
import { firstFormalStage } from "../domain/procedure/model.js";
import { buildReport } from "../domain/report/build.js";
import { parsePeriod } from "../domain/report/period.js";
import { demoDirectory } from "../mail/samples.js";
/** The sample period: the first quarter of 2027, or its last month. */
export function samplePeriod(r) {
    return parsePeriod(r.every === "quarter" ? "2027-Q1" : "2027-03");
}
/** A dozen disputes a procedure, spread over the period: raised, answered, escalated, resolved, some left outstanding. */
function sampleDisputes(a, id, period, teams) {
    const p = a.procedures[id];
    const by = p.raisedBy[0];
    const F = firstFormalStage(p).stage;
    const next = p.stages.filter((s) => s.stage > F && s.formal && !s.referral).map((s) => s.stage);
    const informal = p.stages[0].formal ? undefined : p.stages[0].stage;
    const cats = a.categories.filter((c) => !c.procedures || c.procedures.includes(id)).map((c) => c.id);
    const day = (month, d) => instantAt(`${period.months[month % period.months.length]}-${String(d).padStart(2, "0")}`, "10:00", a.timeZone);
    const timescale = (stage) => ("setBy" in p.stages.find((s) => s.stage === stage).timescale ? { timescaleWorkingDays: 5 } : {});
    const out = [];
    for (let i = 0; i < (id === "cp" ? 7 : 12); i++) {
        const m = i % period.months.length;
        const start = informal !== undefined && i % 4 === 3 ? informal : F;
        const events = [{ type: "raised", at: day(m, 4 + (i % 5)), stage: start, by, ...timescale(start) }];
        if (i % 3 !== 2)
            events.push({ type: "response_recorded", at: day(m, 9 + (i % 5)) });
        if (i % 2 === 0 && next[0] !== undefined && start === F) {
            events.push({ type: "escalated", at: day(m, 15 + (i % 4)), toStage: next[0], ...timescale(next[0]) });
            if (i % 4 === 0)
                events.push({ type: "response_recorded", at: day(m, 21) });
        }
        if (i === 6 && p.cafcass)
            events.push({ type: "cafcass_consulted", at: day(m, 22) });
        if (i % 4 === 1)
            events.push({ type: "resolved", at: day(m, 25) });
        out.push({
            reference: `${a.referencePrefix ?? a.id.slice(0, 3).toUpperCase()}-2027-${String(100 + i + (id === "cp" ? 50 : 0)).padStart(4, "0")}`,
            procedure: id,
            team: teams[i % teams.length],
            childRef: `ECL-${200000 + i * 7}`,
            familyRef: i % 3 === 0 ? `FAM-${3000 + i}` : null,
            categories: [cats[i % cats.length], ...(i % 4 === 0 ? [cats[(i + 3) % cats.length]] : [])],
            events,
            actors: events.map(() => (id === "cp" ? "Casey Chair" : "Ivy Reviewer")),
        });
    }
    return out;
}
/** The authority's report for its sample period, as if counted on the day it fell due. */
export function sampleReport(a, r) {
    const period = samplePeriod(r);
    const dir = demoDirectory(a);
    const teams = [...dir.teams.values()];
    const ids = r.procedures ?? Object.keys(a.procedures);
    const disputes = ids.flatMap((id) => sampleDisputes(a, id, period, teams.map((t) => t.id)));
    const now = instantAt(a.calendar.onOrNextWorkingDay(a.calendar.addCalendarDays(period.to, 1)), a.openingTime, a.timeZone);
    return buildReport({ authority: a, config: r, period, disputes, teams: new Map(teams.map((t) => [t.id, t.name])), now });
}
//# sourceMappingURL=samples.js.map