// The planner: from a dispute's state and the time now, every obligation that
// is running and every notification that belongs to it — who, when, why, and
// which audience each person is in — with a key that stays the same for as
// long as the history behind it does. The scheduler only executes this list;
// it decides nothing about dates.
import type { Draft, NotificationKind, Obligation, Plan, PlanInput, PlannedNotification } from "./notification.ts";
import { deliveryNotices } from "./planner-delivery.ts";
import { cafcassNotices, closedNotice, informalNotices, responseNotice, stageLeftNotice } from "./planner-notices.ts";
import { overallNotices, stageNotices } from "./planner-stage.ts";
import type { Authority } from "./procedure/model.ts";
import { nextSendingTime } from "./sending-hours.ts";

export * from "./notification.ts";

/**
 * Once the deadline they announce has passed these say nothing useful ("due
 * in 2 days"): a worker catching up, or a backdated dispute, lets them lapse.
 * The notice that a stage was entered never lapses: its recipient and copies
 * must hear of it, late or not (it then says the response is already overdue).
 */
const LAPSE_AT_DEADLINE = new Set<NotificationKind>(["reminder", "due_today", "overall_warning"]);

export function planNotifications(input: PlanInput): Plan {
  const out: Draft[] = [];
  const obligations: Obligation[] = [];
  if (input.state.closed) {
    out.push(...closedNotice(input), ...stageLeftNotice(input), ...informalNotices(input), ...cafcassNotices(input));
    return finish(input.authority, out, obligations, input.now);
  }
  out.push(...stageNotices(input, obligations), ...overallNotices(input, obligations));
  out.push(...responseNotice(input), ...stageLeftNotice(input), ...informalNotices(input), ...cafcassNotices(input));
  out.push(...deliveryNotices(input));
  return finish(input.authority, out, obligations, input.now);
}

function finish(a: Authority, list: Draft[], obligations: Obligation[], now: Date): Plan {
  const notifications = list
    .filter((n) => n.addressees.length > 0)
    .map((n) => {
      const lapsed = LAPSE_AT_DEADLINE.has(n.kind) && n.deadline !== undefined && now.getTime() >= n.deadline.at.getTime();
      const status: PlannedNotification["status"] = lapsed ? "lapsed" : n.at.getTime() > now.getTime() ? "ahead" : "due";
      return {
        ...n,
        to: n.addressees.filter((x) => !x.copy).map((x) => x.role),
        cc: n.addressees.filter((x) => x.copy).map((x) => x.role),
        sendAt: nextSendingTime(a, n.at),
        status,
      };
    })
    // by time, then key (plain code-unit order: keys are ASCII, and localeCompare is slow)
    .sort((x, y) => x.at.getTime() - y.at.getTime() || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return { obligations, notifications };
}
