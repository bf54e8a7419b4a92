// A dispute named the way people name it: by its reference (BIR-2026-0011),
// whose prefix says the authority, or by its id with the authority given.
import { findDisputeByReference } from "../db/queries/disputes.js";
import { authorityOf } from "./context.js";
import { referenceFor, UUID } from "./disputes.js";
import { InputError, NotFoundError } from "./errors.js";
const REFERENCE = /^([A-Z][A-Z0-9]{1,5})-\d{4}-\d{4,}$/;
/** The authorities whose dispute references start with this prefix. */
function byPrefix(svc, prefix) {
    return [...svc.authorities.values()].filter((a) => referenceFor(a, 2000, 0).startsWith(`${prefix}-`));
}
/** The authority and id of the dispute `idOrReference` names; the authority may be left out for a reference. */
export async function locateDispute(svc, authorityId, idOrReference) {
    const ref = REFERENCE.exec(idOrReference.trim().toUpperCase());
    if (!ref) {
        if (!authorityId)
            throw new InputError("authority", "give --authority with a dispute id (or name the dispute by its reference, e.g. BIR-2026-0011)");
        authorityOf(svc, authorityId);
        if (!UUID.test(idOrReference))
            throw new NotFoundError(`no dispute "${idOrReference}": give its id or its reference`);
        return { authorityId, id: idOrReference };
    }
    const candidates = authorityId ? [authorityOf(svc, authorityId)] : byPrefix(svc, ref[1]);
    if (!candidates.length)
        throw new NotFoundError(`no authority's references start with ${ref[1]}-`);
    if (candidates.length > 1)
        throw new InputError("authority", `${ref[1]}- is the prefix of ${candidates.map((a) => a.id).join(" and ")}: give --authority`);
    const a = candidates[0];
    const row = await findDisputeByReference(svc.db, a.id, idOrReference.trim().toUpperCase());
    if (!row)
        throw new NotFoundError(`${a.name} has no dispute ${idOrReference}`);
    return { authorityId: a.id, id: row.id };
}
//# sourceMappingURL=lookup.js.map