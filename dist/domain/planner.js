import { cafcassNotices, closedNotice, informalNotices, responseNotice, stageLeftNotice } from "./planner-notices.js";
import { overallNotices, stageNotices } from "./planner-stage.js";
import { nextSendingTime } from "./sending-hours.js";
export * from "./notification.js";
/**
 * Once the deadline they announce has passed these say nothing useful ("due
 * in 2 days"): a worker catching up, or a backdated dispute, lets them lapse.
 * The notice that a stage was entered never lapses: its recipient and copies
 * must hear of it, late or not (it then says the response is already overdue).
 */
const LAPSE_AT_DEADLINE = new Set(["reminder", "due_today", "overall_warning"]);
export function planNotifications(input) {
    const out = [];
    const obligations = [];
    if (input.state.closed) {
        out.push(...closedNotice(input), ...stageLeftNotice(input), ...informalNotices(input), ...cafcassNotices(input));
        return finish(input.authority, out, obligations, input.now);
    }
    out.push(...stageNotices(input, obligations), ...overallNotices(input, obligations));
    out.push(...responseNotice(input), ...stageLeftNotice(input), ...informalNotices(input), ...cafcassNotices(input));
    return finish(input.authority, out, obligations, input.now);
}
function finish(a, list, obligations, now) {
    const notifications = list
        .filter((n) => n.addressees.length > 0)
        .map((n) => {
        const lapsed = LAPSE_AT_DEADLINE.has(n.kind) && n.deadline !== undefined && now.getTime() >= n.deadline.at.getTime();
        const status = lapsed ? "lapsed" : n.at.getTime() > now.getTime() ? "ahead" : "due";
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
//# sourceMappingURL=planner.js.map