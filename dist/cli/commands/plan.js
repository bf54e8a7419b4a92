import { getAuthority } from "../../config/authorities.js";
import { longDate, parseIsoDate } from "../../domain/calendar/dates.js";
import { cite, roleLabel } from "../../domain/procedure/model.js";
import { INSTIGATOR_ROLES } from "../../domain/procedure/roles.js";
import { SET_BY_IRO, worstCaseTimeline } from "../../domain/timeline.js";
import { procedureOf } from "../../service/disputes.js";
import { parseWholeNumber, printJson, table, UsageError } from "../output.js";
export function planCommand(program) {
    program
        .command("plan")
        .description("the worst-case timeline: every stage escalates on the day its response is due")
        .requiredOption("--authority <id>", "authority id")
        .option("--procedure <id>", "iro or cp (default iro)")
        .requiredOption("--raised <date>", "date the dispute is raised, YYYY-MM-DD")
        .option("--stage <n>", "stage it is raised at (default: the first formal stage)")
        .option("--timescale <n>", "working days for stages whose timescale the IRO sets")
        .option("--raised-by <role>", "iro or cp_chair (default: the procedure's first)")
        .option("--service <id>", "the child's service, for routes that depend on it (e.g. over-11s)")
        .option("--json", "print JSON")
        .action((o) => {
        const a = getAuthority(o.authority);
        const p = procedureOf(a, o.procedure ?? (a.procedures.iro ? "iro" : "cp"));
        if (o.raisedBy && !INSTIGATOR_ROLES.includes(o.raisedBy)) {
            throw new UsageError(`--raised-by must be one of ${INSTIGATOR_ROLES.join(", ")}`);
        }
        const timeline = worstCaseTimeline(a, p, parseIsoDate(o.raised, "--raised"), {
            stage: o.stage === undefined ? undefined : parseWholeNumber(o.stage, "--stage"),
            timescaleWorkingDays: o.timescale === undefined ? undefined : parseWholeNumber(o.timescale, "--timescale", 1),
            raisedBy: o.raisedBy,
            service: o.service,
        });
        if (o.json)
            printJson(timeline);
        else
            console.log(readablePlan(a, p, timeline));
    });
}
const short = (d) => longDate(d).replace(/^(\w{3})\w*/, "$1");
export function readablePlan(a, p, t) {
    const lines = [
        `${a.name} — ${p.name}`,
        `Raised ${longDate(t.raised)}. If every stage escalates on the day its response is due:`,
        "",
        table(["Stage", "Goes to", "Copied", "Respond by", "Day", "Why this date"], t.stages.map((s) => [
            `${s.stage}${s.formal ? "" : " (informal)"}`,
            s.recipient ? roleLabel(a, s.recipient) : "referral to Cafcass",
            s.copied.map((c) => roleLabel(a, c)).join(", ") || "—",
            s.respondBy === null || s.respondBy === SET_BY_IRO ? (s.respondBy ?? "—") : `${short(s.respondBy)} ${a.closeOfBusiness}`,
            s.dayOfLimit === null ? "" : String(s.dayOfLimit),
            `${s.timescale} (${cite(a, s.source)})`,
        ])),
        "",
        !t.overallLimit
            ? "Overall limit: none named by the procedure."
            : t.overallDeadline
                ? `Overall limit: ${t.overallLimit.workingDays} working days, ending ${longDate(t.overallDeadline)} at ${a.closeOfBusiness} (${cite(a, t.overallLimit.source)}).`
                : `Overall limit: ${t.overallLimit.workingDays} working days from the first formal stage (not started).`,
        `"Day" counts working days since the formal process began. The QA inbox (${roleLabel(a, p.qaInbox)}) is copied on every formal step.`,
    ];
    if (t.stoppedBecause)
        lines.push(`The timeline stops early: ${t.stoppedBecause}.`);
    const requires = t.stages.filter((s) => s.requires.length);
    if (requires.length) {
        lines.push("", "Before entering a stage the IRO must:");
        for (const s of requires)
            for (const r of s.requires)
                lines.push(`  stage ${s.stage}: ${r}`);
    }
    return lines.join("\n");
}
//# sourceMappingURL=plan.js.map