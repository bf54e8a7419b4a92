import { safeMessage } from "../safe-error.js";
import { NotFoundError } from "./errors.js";
export function disputeChanged(svc, disputeId) {
    svc
        .onDisputeChanged?.(disputeId)
        .catch((e) => svc.log.warn({ disputeId, err: safeMessage(e) }, "could not schedule notifications now; the reconciler will"));
}
export function authorityOf(svc, id) {
    const a = svc.authorities.get(id);
    if (!a)
        throw new NotFoundError(`no authority "${id}"`);
    return a;
}
//# sourceMappingURL=context.js.map