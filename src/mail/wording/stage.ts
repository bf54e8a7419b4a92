// The emails of a stage that someone must answer: it was raised, a reminder,
// due today, overdue, extended. The recipient reads what to do, by when and how
// to respond; copied people read that it is for information (or what the
// procedure asks of them); the instigator reads where it stands and what the
// procedure tells them to do when the time runs out.
import { longDate } from "../../domain/calendar/dates.ts";
import { nextStage, recipientLabel } from "../../domain/procedure/model.ts";
import {
  capital,
  copiedLine,
  instigatorLists,
  lateness,
  limitSentence,
  plural,
  twelveHour,
  type Wording,
  type Words,
  whoDecides,
} from "./words.ts";

/** How the dispute came to be at this stage: raised there, or escalated (by whom). */
function howItGotHere(w: Words): string {
  const { s, stage } = w;
  const visit = s.visits.findLast((v) => v.stage === stage.stage);
  const on = visit ? ` on ${longDate(visit.enteredOn)}` : "";
  const raised = `${w.who} has raised ${w.aNoun} about ${w.aPlan}, under the procedure "${w.p.name}" of ${w.a.name}.`;
  if (!visit || s.visits.length < 2) return `${raised} It was raised at ${w.stageNo}${on}.`;
  const by = stage.escalatedBy ? `The ${recipientLabel(w.a, stage.escalatedBy, w.d.serviceId)}` : w.instigatorName;
  return `${raised} ${by} escalated it to ${w.stageNo}${on}.`;
}

function ifMissed(w: Words): string | undefined {
  const next = nextStage(w.p, w.stage, w.s.raisedBy);
  if (!next) return undefined;
  const step = next.referral
    ? `refer it to Cafcass (${w.terms.stage} ${next.stage})`
    : `escalate it to ${w.terms.stage} ${next.stage}, the ${recipientLabel(w.a, next.recipient, w.d.serviceId)}`;
  return `If the matter is not resolved, ${whoDecides(w)} may ${step}.`;
}

function meetingLists(w: Words): { lead: string; items: string[] }[] {
  const m = w.stage.meeting;
  if (!m || !w.addressing.invitees.length) return [];
  return [
    {
      lead: m.required
        ? `Invite to the meeting (${w.cite(m.source)}):`
        : `A meeting may be held to seek a resolution (${w.cite(m.source)}). It may include:`,
      items: w.addressing.invitees,
    },
  ];
}

const CASE_RECORD = "The concern, the evidence needed and the actions requested are on the child's case record.";
/** A concern about a chair is not on the child's record (WF §1.6), and its details are never emailed. */
const detailsLine = (w: Words) =>
  w.onCaseRecord ? CASE_RECORD : `The details of the ${w.terms.dispute} are not put in emails: ask ${w.instigatorName} for them.`;

export function stageRaised(w: Words): Wording {
  const rule = w.s.deadline.rule;
  const meeting = w.stage.meeting?.required;
  const intro = howItGotHere(w);
  if (w.audience === "recipient") {
    const escalated = w.s.visits.length > 1;
    const heading = !w.due
      ? `${w.Noun} ${w.ref} has been ${escalated ? "escalated to you" : "raised with you"}`
      : meeting
        ? `Convene a meeting with the ${w.instigatorTitle} on ${w.terms.dispute} ${w.ref} by ${w.due}`
        : w.pastDue
          ? `Respond now: ${w.terms.dispute} ${w.ref} was due by ${w.due}`
          : `Respond to ${w.terms.dispute} ${w.ref} by ${w.due}`;
    const ask = !w.due
      ? `You are asked to respond as the ${w.recipientTitle}. There is no response date at this ${w.terms.stage}: ${rule}.`
      : meeting
        ? `You are asked, as the ${w.recipientTitle}, to convene a meeting with ${w.instigatorName} by ${w.due}: ${rule}.`
        : w.pastDue
          ? `You are asked to respond as the ${w.recipientTitle}. ${lateness(w)} The response is already overdue: please respond now.`
          : `You are asked to respond as the ${w.recipientTitle}, by ${w.due}: ${rule}.`;
    return {
      heading,
      preheader: w.due
        ? `${capital(w.stageNo)} of ${w.aNoun}: ${meeting ? "convene a meeting" : "please respond"} by ${w.due}.`
        : `${capital(w.stageNo)} of ${w.aNoun} has been escalated to you.`,
      paragraphs: [
        intro,
        ask,
        meeting ? `Please agree the meeting's date with ${w.instigatorName} and send the invitations.` : w.howToRespond,
        detailsLine(w),
        ...(ifMissed(w) ? [ifMissed(w)!] : []),
      ],
      lists: meetingLists(w),
    };
  }
  if (w.audience === "copied") {
    const status = !w.due
      ? `It is with ${w.recipientNamed}.`
      : meeting
        ? `${w.recipientNamed} is asked to convene a meeting with ${w.instigatorName} by ${w.due}.`
        : w.pastDue
          ? `It is with ${w.recipientNamed}, whose response was due by ${w.due}.`
          : `It is with ${w.recipientNamed}, who is asked to respond by ${w.due}.`;
    return {
      heading: `For information: ${w.terms.dispute} ${w.ref} is at ${w.stageNo}`,
      preheader: `${w.Noun} ${w.ref} is at ${w.stageNo}, with the ${w.recipientTitle}.`,
      paragraphs: [intro, status, ...copiedLine(w)],
    };
  }
  const due = !w.due
    ? `There is no response date at this ${w.terms.stage}: ${rule}.`
    : meeting
      ? `${w.recipientNamed} is asked to convene a meeting with you by ${w.due}: ${rule}.`
      : w.pastDue
        ? `The response was due by ${w.due} (${rule}): it is already overdue.`
        : `The response is due by ${w.due}: ${rule}.`;
  return {
    heading:
      w.due && !w.pastDue
        ? `${w.Noun} ${w.ref} is with the ${w.recipientTitle} until ${w.due}`
        : `${w.Noun} ${w.ref} is with the ${w.recipientTitle}`,
    preheader: `${capital(w.stageNo)} has been sent to the ${w.recipientTitle}.`,
    paragraphs: [
      `Your ${w.terms.dispute} is at ${w.stageNo}, with ${w.recipientNamed}.`,
      due,
      // once the date has passed, the prompt is due now, not "then"
      w.due && !w.pastDue
        ? `If there is no response by then, ${whoDecides(w) === w.instigatorName ? "you" : whoDecides(w)} will be prompted to decide the next step.`
        : w.due
          ? `${whoDecides(w) === w.instigatorName ? "You are" : `${capital(whoDecides(w))} is`} prompted separately to decide the next step.`
          : "",
      ...(limitSentence(w) ? [limitSentence(w)!] : []),
    ].filter(Boolean),
    lists: instigatorLists(w),
    inset: w.stage.whenTimescaleEnds,
  };
}

export function reminder(w: Words): Wording {
  const meeting = w.stage.meeting?.required;
  return {
    heading: meeting
      ? `Reminder: convene the meeting on ${w.terms.dispute} ${w.ref} by ${w.due}`
      : `Reminder: respond to ${w.terms.dispute} ${w.ref} by ${w.due}`,
    preheader: `${capital(w.stageNo)} of ${w.terms.dispute} ${w.ref}: ${meeting ? "the meeting is to be held" : "your response is due"} by ${w.due}.`,
    paragraphs: meeting
      ? [
          `The meeting with ${w.who} on ${w.stageNo} of this ${w.terms.dispute} is to be held by ${w.due}.`,
          "If it is already arranged, please make sure the date is recorded.",
        ]
      : [
          `Your response to ${w.stageNo} of this ${w.terms.dispute}, raised by ${w.who}, is due by ${w.due}.`,
          w.howToRespond,
          "If you have already responded, please make sure the response is recorded.",
        ],
  };
}

export function dueToday(w: Words): Wording {
  const meeting = w.stage.meeting?.required;
  return {
    heading: meeting
      ? `Meeting due today: ${w.terms.dispute} ${w.ref}, by ${twelveHour(w.a.closeOfBusiness)}`
      : `Response due today: ${w.terms.dispute} ${w.ref}, by ${twelveHour(w.a.closeOfBusiness)}`,
    preheader: `${capital(w.stageNo)}: ${meeting ? `the meeting with the ${w.instigatorTitle} is` : "your response is"} due by ${w.due}.`,
    paragraphs: meeting
      ? [`The meeting with ${w.who} on ${w.stageNo} of this ${w.terms.dispute} is due to be held today, by ${w.due}.`]
      : [`Your response to ${w.stageNo} of this ${w.terms.dispute}, raised by ${w.who}, is due today, by ${w.due}.`, w.howToRespond],
  };
}

export function overdue(w: Words): Wording {
  const late = w.lateBy > 0 ? `${plural(w.lateBy, "working day")} late` : "overdue";
  const meeting = w.stage.meeting?.required;
  const what = meeting ? "meeting" : "response";
  if (w.audience === "copied") {
    return {
      heading: `For information: no ${what} on ${w.terms.dispute} ${w.ref} by ${w.due}`,
      preheader: `${capital(w.stageNo)}: the ${w.recipientTitle}'s ${what} is ${late}.`,
      paragraphs: [
        `No ${what} has been recorded from ${w.recipientNamed} on ${w.stageNo} of this ${w.terms.dispute}, raised by ${w.who}. ${lateness(w)}`,
        `${capital(whoDecides(w))} has been prompted to decide the next step.`,
        ...copiedLine(w),
      ],
    };
  }
  if (meeting) {
    return {
      heading: `Meeting overdue: ${w.terms.dispute} ${w.ref} was to meet by ${w.due}`,
      preheader: `No meeting on ${w.stageNo} has been recorded: it is ${late}.`,
      paragraphs: [
        `No meeting with ${w.who} on ${w.stageNo} of this ${w.terms.dispute} has been recorded. ${lateness(w)}`,
        `Please convene it now, agreeing the date with ${w.instigatorName}.`,
        ...(ifMissed(w) ? [ifMissed(w)!] : []),
      ],
    };
  }
  return {
    heading: `Response overdue: ${w.terms.dispute} ${w.ref} was due by ${w.due}`,
    preheader: `No response to ${w.stageNo} has been recorded: it is ${late}.`,
    paragraphs: [
      `No response to ${w.stageNo} of this ${w.terms.dispute}, raised by ${w.who}, has been recorded. ${lateness(w)}`,
      `Please respond now. ${w.howToRespond}`,
      ...(ifMissed(w) ? [ifMissed(w)!] : []),
    ],
  };
}

export function extensionAgreed(w: Words): Wording {
  const d = w.s.deadline;
  // "(moved from …, not a working day)" is worth saying; "extended to X by agreement" repeats the date
  const moved = d.kind === "due" && d.rule.includes("(moved from") ? ` ${d.rule.slice(d.rule.indexOf("(moved from"))}` : "";
  const past = w.overall && w.dueDate && w.dueDate > w.overall.date;
  const limit = !w.overall
    ? []
    : past
      ? [`This takes the ${w.terms.stage} past the ${w.overall.workingDays}-working-day limit, which ends at ${w.overall.by}.`]
      : [`The overall limit does not move: it ends at ${w.overall.by}.`];
  if (w.audience === "recipient") {
    return {
      heading: `Extension agreed: respond to ${w.terms.dispute} ${w.ref} by ${w.due}`,
      preheader: `${capital(w.stageNo)}: the new date for a response is ${w.due}.`,
      paragraphs: [
        `${w.instigatorName} has agreed more time for ${w.stageNo}. Please respond by ${w.due}${moved}.`,
        w.howToRespond,
        ...limit,
      ],
    };
  }
  const max = w.stage.extensions.max;
  const left =
    max === null
      ? []
      : [
          max - w.s.extensionsThisStage > 0
            ? `${plural(max - w.s.extensionsThisStage, "further extension")} may be agreed at this ${w.terms.stage}.`
            : `No further extension may be agreed at this ${w.terms.stage}${w.stage.extensions.source ? ` (${w.cite(w.stage.extensions.source)})` : ""}.`,
        ];
  if (w.audience === "instigator") {
    return {
      heading: `Extension recorded: ${w.terms.dispute} ${w.ref} is now due by ${w.due}`,
      preheader: `${capital(w.stageNo)}: the ${w.recipientTitle} now responds by ${w.due}.`,
      paragraphs: [
        `You agreed more time for ${w.stageNo} with ${w.recipientNamed}: the response is now due by ${w.due}${moved}.`,
        ...left,
        ...limit,
      ],
      lists: instigatorLists(w),
    };
  }
  return {
    heading: `For information: ${w.terms.dispute} ${w.ref} extended to ${w.dueDate ? longDate(w.dueDate) : ""}`,
    preheader: `${capital(w.stageNo)}: the response is now due by ${w.due}.`,
    paragraphs: [
      `${w.instigatorName} has agreed more time for ${w.stageNo} with ${w.recipientNamed}: the response is now due by ${w.due}${moved}.`,
      ...limit,
      ...copiedLine(w),
    ],
  };
}
