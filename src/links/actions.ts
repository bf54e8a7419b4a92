// Which steps an email offers its reader as buttons. The stage's recipient
// records their response (or, at a meeting stage, that the meeting is
// arranged); the instigator, prompted at the end of a stage, may escalate,
// agree an extension, mark it resolved, or refer to Cafcass where the
// procedure lets them. Nobody copied is offered anything.
import type { DisputeState } from "../domain/dispute/state.ts";
import type { NotificationKind } from "../domain/notification.ts";
import type { Audience } from "../domain/planner.ts";
import { nextStage, type Procedure } from "../domain/procedure/model.ts";
import type { LinkAction } from "./token.ts";

const ASKS_RESPONSE: ReadonlySet<NotificationKind> = new Set(["stage_raised", "reminder", "due_today", "overdue", "extension_agreed"]);
const PROMPTS: ReadonlySet<NotificationKind> = new Set(["escalation_prompt", "overall_warning", "overall_breach"]);

export interface OfferedAction {
  action: LinkAction;
  label: string;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The buttons for one addressee's email, given the dispute as it now stands. */
export function actionsFor(p: Procedure, state: DisputeState, kind: NotificationKind, audience: Audience): OfferedAction[] {
  if (state.closed) return [];
  if (audience === "recipient" && ASKS_RESPONSE.has(kind) && state.awaiting === "response" && !state.stage.referral) {
    return state.stage.meeting?.required
      ? [{ action: "meeting", label: "Record that the meeting is arranged" }]
      : [{ action: "respond", label: "Record your response" }];
  }
  if (audience !== "instigator" || !PROMPTS.has(kind)) return [];
  const out: OfferedAction[] = [];
  const next = nextStage(p, state.stage, state.raisedBy);
  if (next) out.push({ action: "escalate", label: `Escalate to ${p.terms.stage} ${next.stage}` });
  const { max } = state.stage.extensions;
  if (state.deadline.kind === "due" && (max === null || state.extensionsThisStage < max))
    out.push({ action: "extend", label: "Agree an extension" });
  out.push({ action: "resolve", label: "Mark resolved" });
  if (p.cafcass?.referralBy.includes(state.raisedBy)) out.push({ action: "refer", label: "Refer to Cafcass" });
  return out.map((x) => ({ ...x, label: capital(x.label) }));
}
