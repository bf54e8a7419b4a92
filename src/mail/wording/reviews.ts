// What a review's emails say: the person asked to act reads what, by when and
// why; the people copied and the chair read it for information; and where no
// answer means agreement (WF §3.3), both are told so. Never a child's name:
// the review's reference and the case reference only.
import { longDate } from "../../domain/calendar/dates.ts";
import { type Authority, cite, type Procedure, roleLabel } from "../../domain/procedure/model.ts";
import type { ReviewsConfig } from "../../domain/review/config.ts";
import type { ReviewAudience, ReviewNotification } from "../../domain/review/plan.ts";
import type { EmailView } from "../model.ts";
import { spellOutOnce } from "./abbreviations.ts";
import { forInformation } from "./words.ts";

export interface ReviewFacts {
  reference: string;
  childRef: string;
  heldOn: string;
  chair: { name: string; email: string; role: "iro" | "cp_chair" };
}

const CHAIR = { iro: "IRO", cp_chair: "CP Chair" } as const;

export function reviewEmail(
  a: Authority,
  p: Procedure,
  cfg: ReviewsConfig,
  r: ReviewFacts,
  n: ReviewNotification,
  to: { role: string; audience: ReviewAudience; names: string[] },
  others: string[],
): EmailView {
  const d = n.deadline;
  const due = d.due!;
  const by = `by 5pm on ${longDate(due.date)}`;
  const chair = CHAIR[r.chair.role];
  const whoLabel = d.config.who === "chair" ? `${r.chair.name} (${chair})` : roleLabel(a, d.config.who);
  const asked = to.audience !== "copied" && (to.role === d.config.who || (to.role === "chair" && d.config.who === "chair"));
  const what = `${d.config.name} for ${cfg.noun} ${r.reference}`;
  let heading: string;
  let preheader: string;
  const paragraphs: string[] = [];
  switch (n.kind) {
    case "review_due":
      heading = asked ? `${what}: due ${by}` : `For information: ${what} is due ${by}`;
      preheader = asked ? `${d.config.text}` : `${whoLabel} has been asked to act ${by}.`;
      paragraphs.push(asked ? d.config.text : `${whoLabel} has been asked: ${lower(d.config.text)}`);
      break;
    case "review_reminder":
      heading = `Reminder: ${what} is due ${by}`;
      preheader = d.config.text;
      paragraphs.push(d.config.text);
      break;
    case "review_overdue":
      heading = asked ? `${what} is overdue: it was due ${by}` : `For information: ${what} is overdue`;
      preheader = `It was due ${by}, ${due.rule}.`;
      paragraphs.push(
        asked
          ? `${d.config.text} It was due ${by}: please do it now.`
          : `${whoLabel} was asked to act ${by}, and nothing has been recorded yet.`,
      );
      break;
    case "review_agreed":
      heading = `${cfg.noun.charAt(0).toUpperCase()}${cfg.noun.slice(1)} ${r.reference}: the decisions are treated as agreed`;
      preheader = `No response was recorded ${by}.`;
      paragraphs.push(`No response was recorded ${by}. ${d.config.agreedText ?? ""}`.trim());
      break;
  }
  paragraphs.push(
    `The ${cfg.noun} was held on ${longDate(r.heldOn as Parameters<typeof longDate>[0])}, chaired by ${r.chair.name} (${chair}). The date is ${due.rule}.`,
  );
  const words = spellOutOnce(
    forInformation(to.audience === "copied", {
      heading,
      preheader,
      paragraphs,
      lists: others.length ? [{ lead: "Also sent to:", items: others }] : [],
    }),
    p.terms.abbreviations,
  );
  return {
    kind: n.kind,
    audience: to.audience === "who" ? "recipient" : to.audience === "chair" ? "instigator" : "copied",
    subject: [a.protectiveMarking, p.subjectPrefix ?? a.subjectPrefix, r.reference].filter(Boolean).join(" "),
    preheader: words.preheader,
    heading: words.heading,
    authorityName: a.name,
    reference: r.reference,
    referenceLabel: "Review reference",
    caseReference: r.childRef,
    caseUrl: a.caseRecordUrl?.replace("{childRef}", encodeURIComponent(r.childRef)),
    protectiveMarking: a.protectiveMarking,
    recipient: { name: to.names.join(", "), role: to.role === "chair" ? chair : roleLabel(a, to.role) },
    paragraphs: words.paragraphs,
    lists: words.lists ?? [],
    banners: [],
    source: cite(a, d.config.source),
    instigator: { name: r.chair.name, email: r.chair.email, role: chair },
    footer:
      to.audience === "chair"
        ? `You are receiving this as the ${chair} who chaired the ${cfg.noun}.`
        : to.audience === "copied"
          ? `You are receiving this for information, as the ${roleLabel(a, to.role)} the procedure copies.`
          : `You are receiving this as the ${roleLabel(a, to.role)} for the child's team.`,
  };
}

const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
