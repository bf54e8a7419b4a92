import { parseIsoDate } from "../calendar/dates.js";
import { WorkingDayCalendar } from "../calendar/working-days.js";
import { CAFCASS, INSTIGATOR_LABELS, isKnownRole, KNOWN_ROLES } from "./roles.js";
import { authoritySchema, } from "./schema.js";
/** Every procedure's abbreviations (IRO Handbook; Working Together); a file may add to them or word them its own way. */
const ABBREVIATIONS = {
    IRO: "Independent Reviewing Officer",
    "CP Chair": "Child Protection Chair",
    QA: "quality assurance",
    Cafcass: "the Children and Family Court Advisory and Support Service",
};
/** What is disputed, when the file does not say. */
const PLAN_BY_PROCEDURE = { iro: "care plan", cp: "child protection plan" };
export class AuthorityConfigError extends Error {
    file;
    issues;
    name = "AuthorityConfigError";
    constructor(file, issues) {
        super(issues.map((i) => `${file}: ${i.field}: ${i.message}`).join("\n"));
        this.file = file;
        this.issues = issues;
    }
}
/** "procedures.iro.stages[2].timescale.days" from a zod path. */
export function fieldPath(path) {
    let out = "";
    for (const part of path) {
        if (typeof part === "number")
            out += `[${part}]`;
        else
            out += out ? `.${String(part)}` : String(part);
    }
    return out || "(top level)";
}
export function compileAuthority(data, file) {
    const parsed = authoritySchema.safeParse(data);
    if (!parsed.success) {
        throw new AuthorityConfigError(file, parsed.error.issues.map((i) => ({ field: fieldPath(i.path), message: describeIssue(i) })));
    }
    const a = parsed.data;
    const issues = checkMeaning(a);
    if (issues.length)
        throw new AuthorityConfigError(file, issues);
    const procedures = {};
    for (const [id, p] of Object.entries(a.procedures)) {
        const { extensions, ...rest } = p;
        procedures[id] = {
            ...rest,
            id,
            terms: {
                dispute: p.terms.dispute,
                stage: p.terms.stage,
                plan: p.terms.plan ?? PLAN_BY_PROCEDURE[id],
                abbreviations: { ...ABBREVIATIONS, ...p.terms.abbreviations },
            },
            entry: { ...p.entry, startAt: p.entry.startAt ?? p.stages.map((s) => s.stage) },
            stages: p.stages.map((s) => ({
                ...s,
                entry: { by: s.entry.by ?? p.raisedBy },
                reminders: s.reminders ?? p.reminders,
                extensions: s.extensions ?? extensions,
            })),
        };
    }
    const calendar = new WorkingDayCalendar(a.closureDays.map((c) => ({ date: parseIsoDate(c.date), name: c.name })));
    return { ...a, procedures, calendar };
}
function describeIssue(issue) {
    if (issue.code === "unrecognized_keys")
        return `unknown field(s) ${issue.keys.join(", ")}`;
    if (issue.code === "invalid_union")
        return "does not match any allowed form (see the schema in src/domain/procedure/schema.ts)";
    return issue.message;
}
function recipientRoles(r) {
    return typeof r === "string" ? [r] : [r.role, ...Object.values(r.byService)];
}
// Rules a schema cannot say: every role is one we know or one the file
// declares, and Cafcass is never an addressee; stages ascend; informal stages
// come before formal ones; what a stage is (response, meeting, referral) fits.
function checkMeaning(a) {
    const issues = [];
    const declared = new Set(Object.keys(a.roles));
    const checkRole = (role, field) => {
        if (role === CAFCASS) {
            issues.push({
                field,
                message: "Cafcass is outside the authority and is never asked to respond or copied: make the stage a referral stage (referral: true)",
            });
        }
        else if (!isKnownRole(role) && !declared.has(role)) {
            issues.push({ field, message: `unknown role "${role}": use one of the known roles or declare it under roles:` });
        }
    };
    const checkRecipient = (r, field) => {
        for (const role of recipientRoles(r))
            checkRole(role, field);
    };
    const checkRecipients = (rs, field) => {
        for (const [j, r] of rs.entries())
            checkRecipient(r, `${field}[${j}]`);
    };
    const checkRequirements = (rs, field) => {
        const ids = new Set();
        for (const [j, r] of rs.entries()) {
            if (ids.has(r.id))
                issues.push({ field: `${field}[${j}].id`, message: `"${r.id}" is listed twice; give each requirement its own id` });
            ids.add(r.id);
        }
    };
    for (const role of Object.keys(a.roleLabels))
        checkRole(role, `roleLabels.${role}`);
    const categoryIds = new Set();
    a.categories.forEach((c, i) => {
        if (categoryIds.has(c.id))
            issues.push({ field: `categories[${i}].id`, message: `duplicate category "${c.id}"` });
        if (c.id === "other")
            issues.push({ field: `categories[${i}].id`, message: `"other" is always accepted; do not list it` });
        categoryIds.add(c.id);
    });
    for (const [pid, p] of Object.entries(a.procedures)) {
        const at = `procedures.${pid}`;
        checkRole(p.qaInbox, `${at}.qaInbox`);
        checkRole(p.iroManager, `${at}.iroManager`);
        if (p.cafcass) {
            checkRecipients(p.cafcass.nominatedOfficers, `${at}.cafcass.nominatedOfficers`);
            checkRecipients(p.cafcass.copied, `${at}.cafcass.copied`);
            checkRequirements(p.cafcass.beforeReferral?.requires ?? [], `${at}.cafcass.beforeReferral.requires`);
        }
        if (p.closing)
            checkRecipients(p.closing.copied, `${at}.closing.copied`);
        const numbers = new Set(p.stages.map((s) => s.stage));
        for (const [i, n] of (p.entry.startAt ?? []).entries()) {
            if (!numbers.has(n))
                issues.push({ field: `${at}.entry.startAt[${i}]`, message: `there is no stage ${n}` });
        }
        let previous = -1;
        let seenFormal = false;
        p.stages.forEach((s, i) => {
            const st = `${at}.stages[${i}]`;
            if (s.stage <= previous)
                issues.push({ field: `${st}.stage`, message: `stage ${s.stage} must come after stage ${previous}` });
            previous = s.stage;
            if (s.formal)
                seenFormal = true;
            else if (seenFormal)
                issues.push({ field: `${st}.formal`, message: "an informal stage cannot follow a formal one" });
            if (s.referral) {
                if (s.recipient)
                    issues.push({ field: `${st}.recipient`, message: "a referral stage has no recipient: Cafcass is never emailed" });
                if (!p.cafcass)
                    issues.push({ field: `${st}.referral`, message: "a referral stage needs the procedure's cafcass: section" });
                if (!s.formal)
                    issues.push({ field: `${st}.formal`, message: "a referral stage is formal" });
                if (s.meeting)
                    issues.push({ field: `${st}.meeting`, message: "a referral stage has no meeting" });
            }
            else if (!s.recipient) {
                issues.push({ field: `${st}.recipient`, message: "who is asked to respond at this stage? (only a referral stage has none)" });
            }
            else
                checkRecipient(s.recipient, `${st}.recipient`);
            checkRecipients(s.copied, `${st}.copied`);
            checkRecipients(s.meeting?.invitees ?? [], `${st}.meeting.invitees`);
            if (s.escalatedBy)
                checkRecipient(s.escalatedBy, `${st}.escalatedBy`);
            for (const [j, f] of s.forCopied.entries())
                if (f.role)
                    checkRecipient(f.role, `${st}.forCopied[${j}].role`);
            if (s.register) {
                if (s.formal)
                    issues.push({ field: `${st}.register`, message: "only informal stages are registered; formal ones copy the QA inbox" });
                checkRecipient(s.register.to, `${st}.register.to`);
                checkRecipients(s.register.copied, `${st}.register.copied`);
            }
            checkRequirements(s.requires, `${st}.requires`);
            if (!s.formal && "until" in s.timescale) {
                issues.push({ field: `${st}.timescale`, message: "an informal stage is outside the overall limit, so cannot run until it" });
            }
            if ("until" in s.timescale && !p.overallLimit) {
                issues.push({ field: `${st}.timescale`, message: "runs until the overall limit, but the procedure has no overallLimit" });
            }
            for (const who of s.entry.by ?? []) {
                if (!p.raisedBy.includes(who))
                    issues.push({ field: `${st}.entry.by`, message: `${who} does not raise disputes under this procedure` });
            }
        });
        if (!seenFormal)
            issues.push({ field: `${at}.stages`, message: "a procedure needs at least one formal stage" });
        const ids = new Set();
        for (const [i, d] of (p.reviews?.deadlines ?? []).entries()) {
            const f = `${at}.reviews.deadlines[${i}]`;
            if (ids.has(d.id))
                issues.push({ field: `${f}.id`, message: `duplicate deadline "${d.id}"` });
            ids.add(d.id);
            if (d.who !== "chair")
                checkRole(d.who, `${f}.who`);
            for (const [j, role] of d.copied.entries())
                checkRole(role, `${f}.copied[${j}]`);
            if (d.from === "decisions_sent" && !p.reviews.deadlines.some((x) => x.metBy === "decisions_sent"))
                issues.push({ field: `${f}.from`, message: "runs from the decisions being sent, but no deadline is met by sending them" });
            if (d.whenMissed === "agreed" && !d.agreedText)
                issues.push({ field: `${f}.agreedText`, message: "say what the email tells people when no response means agreement" });
        }
    }
    const reportIds = new Set();
    a.reports.forEach((r, i) => {
        const at = `reports[${i}]`;
        if (reportIds.has(r.id))
            issues.push({ field: `${at}.id`, message: `duplicate report "${r.id}"` });
        reportIds.add(r.id);
        if (a.reports.some((o, j) => j < i && o.every === r.every))
            issues.push({ field: `${at}.every`, message: `a second ${r.every}ly report: \`drp report --period\` could not tell them apart` });
        for (const [j, role] of r.to.entries())
            checkRole(role, `${at}.to[${j}]`);
        for (const [j, role] of r.copied.entries())
            checkRole(role, `${at}.copied[${j}]`);
        const covered = r.procedures ?? Object.keys(a.procedures);
        if (r.sections.includes("reviews") && !covered.some((pid) => a.procedures[pid]?.reviews))
            issues.push({ field: `${at}.sections`, message: "lists reviews, but no procedure it covers sets deadlines after a review" });
        for (const [j, pid] of (r.procedures ?? []).entries())
            if (!a.procedures[pid])
                issues.push({ field: `${at}.procedures[${j}]`, message: `there is no ${pid} procedure` });
    });
    return issues;
}
// ---- small questions about a procedure, asked in many places ----
export function stageOf(p, n) {
    return p.stages.find((s) => s.stage === n);
}
export function lastStage(p) {
    return p.stages[p.stages.length - 1];
}
export function firstFormalStage(p) {
    return p.stages.find((s) => s.formal);
}
/** The role a recipient resolves to for a child in `service` (Gloucestershire's over-11s route). */
export function roleFor(r, service) {
    if (typeof r === "string")
        return r;
    return (service !== undefined && r.byService[service]) || r.role;
}
export function roleLabel(a, role) {
    if (Object.hasOwn(INSTIGATOR_LABELS, role))
        return INSTIGATOR_LABELS[role];
    if (Object.hasOwn(a.roleLabels, role))
        return a.roleLabels[role];
    if (Object.hasOwn(a.roles, role))
        return a.roles[role];
    return isKnownRole(role) ? KNOWN_ROLES[role] : role;
}
/** The title of the role a recipient resolves to for the child's service ("Head of Service" for over-11s). */
export function recipientLabel(a, r, service) {
    return r === undefined ? "" : roleLabel(a, roleFor(r, service));
}
/** May a dispute be raised at this stage (before asking who raises it)? */
export function mayStartAt(p, stage) {
    return p.entry.startAt.includes(stage.stage);
}
/** The formal stages strictly between two stages, that `by` could have entered: skipped by a jump from one to the other. */
export function skippedStages(p, from, to, by) {
    return p.stages.filter((s) => s.stage > from && s.stage < to && s.formal && s.entry.by.includes(by));
}
/** The stage an escalation goes to by default: the next one the instigator may enter. */
export function nextStage(p, from, by) {
    return p.stages.find((s) => s.stage > from.stage && s.entry.by.includes(by));
}
/**
 * Who is told of a Cafcass referral, as a sentence names them: the procedure's
 * own title for them (Newham's "DCS"), IRO Handbook 8.12's nominated officer,
 * or the QA inbox where the procedure names none.
 */
export function referralOfficers(p) {
    const c = p.cafcass;
    if (!c || c.nominatedOfficers.length === 0)
        return { title: "the QA inbox", verb: "is" };
    const verb = c.nominatedOfficers.length > 1 ? "are" : "is";
    return { title: c.officersAre?.title ?? (verb === "are" ? "the nominated officers" : "the nominated officer"), verb };
}
/** Documents that a source may cite by their own name; anything else is the authority's document. */
const OTHER_DOCUMENTS = /^(IRO Handbook|national standards|Working Together|Care Planning)/i;
/** Cite a paragraph by the document's name ("Birmingham procedure §3.8"), never by a file. */
export function cite(a, source) {
    if (OTHER_DOCUMENTS.test(source) || source.startsWith(a.documentName))
        return source;
    return /^[§¶]/.test(source) ? `${a.documentName} ${source}` : `${a.documentName}, ${source}`;
}
//# sourceMappingURL=model.js.map