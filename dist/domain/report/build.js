// A report: the authority's report for a period, with each procedure's
// figures counted by count.ts. The same object is the JSON of `drp report` and
// GET /reports, and what the report email, its chart and its CSV are drawn from.
import { localDate } from "../calendar/local-time.js";
import { countProcedure, summarise } from "./count.js";
import { parsePeriod, periodName, samePeriodLastYear } from "./period.js";
import { countReviews } from "./reviews.js";
export class ReportRequestError extends Error {
    name = "ReportRequestError";
}
/** The authority's report for this kind of period (month or quarter), or why there is none. */
export function reportFor(a, period, reportId) {
    const reports = reportId ? a.reports.filter((r) => r.id === reportId) : a.reports;
    if (reportId && !reports.length)
        throw new ReportRequestError(`${a.name} has no report "${reportId}"`);
    const r = reports.find((x) => x.every === period.every);
    if (r)
        return r;
    const have = a.reports.map((x) => `${x.name} (${x.every}ly, e.g. ${x.every === "month" ? "2027-01" : "2027-Q1"})`).join("; ");
    throw new ReportRequestError(`${a.name} has no ${period.every}ly report${have ? `: its reports are ${have}` : ""}`);
}
/** Reads and checks a requested period: well formed, and begun by `now`. */
export function requestedPeriod(a, text, now) {
    let p;
    try {
        p = parsePeriod(text);
        // every report sets the period beside the same one a year earlier: that year must be covered too
        samePeriodLastYear(p);
    }
    catch (e) {
        throw new ReportRequestError(Number(text.trim().slice(0, 4)) === 2000
            ? `${text.trim()}: a report compares its period with the same one a year earlier, and the calendar begins in 2000: reports cover 2001 to 2049`
            : e.message);
    }
    const today = localDate(now, a.timeZone);
    if (p.from > today)
        throw new ReportRequestError(`${p.id} is in the future: it begins on ${p.from}`);
    return p;
}
export function buildReport(input) {
    const { authority: a, config, period, now } = input;
    const ids = (config.procedures ?? Object.keys(a.procedures)).filter((id) => !input.only || id === input.only);
    if (input.only && !ids.length)
        throw new ReportRequestError(`the ${config.name} does not cover the ${input.only} procedure`);
    const last = samePeriodLastYear(period);
    const procedures = {};
    for (const id of ids) {
        const procedure = a.procedures[id];
        const count = { authority: a, procedure, period, disputes: input.disputes, teams: input.teams, now };
        procedures[id] = {
            name: procedure.name,
            ...countProcedure(count),
            lastYear: { period: { id: last.id, from: last.from, to: last.to }, ...summarise(count, last) },
            ...(procedure.reviews ? { reviews: countReviews(a, procedure, period, input.reviews ?? [], now) } : {}),
        };
    }
    return {
        authority: a.id,
        authorityName: a.name,
        report: { id: config.id, name: config.name, every: config.every },
        period: {
            id: period.id,
            from: period.from,
            to: period.to,
            name: periodName(period),
            months: period.months,
            complete: localDate(now, a.timeZone) > period.to,
        },
        generatedAt: now.toISOString(),
        procedures,
    };
}
//# sourceMappingURL=build.js.map