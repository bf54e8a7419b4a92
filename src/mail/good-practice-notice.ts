// The email that copies a good-practice entry to the roles the register names
// (WF §11.1: "Chairs will register … good practice with business support …
// QA DHOS will be copied in"). Like every email, it carries no free text: the
// description stays in the register and the reports, not in email.
import { type IsoDate, longDate } from "../domain/calendar/dates.ts";
import { type Authority, cite, type ProcedureId, roleLabel } from "../domain/procedure/model.ts";
import type { GoodPracticeConfig } from "../domain/register/config.ts";
import type { EmailView } from "./model.ts";

export interface GoodPracticeNotice {
  reference: string;
  noticedOn: string;
  procedure: ProcedureId;
  teamName: string;
  about: "individual" | "team";
  disputeReference: string | null;
  childRef: string | null;
  noticedBy: { name: string; email: string; role: string };
  recordedBy: { name: string } | null;
}

const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

export function goodPracticeNoticeView(
  a: Authority,
  register: GoodPracticeConfig,
  e: GoodPracticeNotice,
  addressee: { role: string; names: string[] },
): EmailView {
  const p = a.procedures[e.procedure];
  const by = `${e.noticedBy.name} (${roleLabel(a, e.noticedBy.role)})`;
  const who = e.about === "individual" ? "an individual" : "the team";
  const on = longDate(e.noticedOn as IsoDate);
  const reports = a.reports.filter((r) => r.sections.includes("good_practice")).map((r) => r.name);
  const paragraphs = [
    `${by} has recorded good practice by ${who} in ${e.teamName}, noticed on ${on}${p ? ` under the ${p.name}` : ""}.`,
    ...(e.recordedBy ? [`${e.recordedBy.name} recorded it on their behalf.`] : []),
    ...(e.disputeReference ? [`It was noticed in ${p?.terms.dispute ?? "dispute"} ${e.disputeReference}.`] : []),
    `What was noticed is kept in the ${lower(register.name)}, not in email${reports.length ? `, and is counted in the ${reports.map(lower).join(" and the ")}` : ""}.`,
  ];
  return {
    kind: "good_practice_recorded",
    audience: "copied",
    subject: [a.protectiveMarking, a.subjectPrefix, `good practice recorded, ${e.reference}`].filter(Boolean).join(" "),
    preheader: `For information: good practice by ${who} in ${e.teamName}, noticed by ${e.noticedBy.name} on ${on}.`,
    heading: `For information: good practice recorded, ${e.reference}`,
    authorityName: a.name,
    reference: e.reference,
    referenceLabel: "Good practice reference",
    caseReference: e.childRef ?? "—",
    caseUrl: e.childRef && a.caseRecordUrl ? a.caseRecordUrl.replace("{childRef}", encodeURIComponent(e.childRef)) : undefined,
    protectiveMarking: a.protectiveMarking,
    recipient: { name: addressee.names.join(", "), role: roleLabel(a, addressee.role) },
    paragraphs,
    lists: [],
    banners: [],
    source: cite(a, register.source),
    instigator: e.noticedBy,
    footer: `You are receiving this as ${roleLabel(a, addressee.role)} of ${a.name}: the procedure copies you in on the good practice IROs and CP Chairs register.`,
  };
}
