// Keeping every email of one dispute in one conversation.
//
// Gmail threads automated mail only when the subject is unchanged and the
// References header points at the same root Message-ID, so the subject never
// changes for a dispute and every email references the dispute's root.
// Outlook groups by Thread-Topic (the subject) and Thread-Index: a 22-byte
// header block (0x01, the top 40 bits of a FILETIME, a 16-byte GUID) that we
// derive from the dispute, followed for later emails by one 5-byte child
// block whose time delta orders them (MS-OXOMSG 2.2.1.3). nodemailer writes
// neither Thread-* header; we do.
import { createHash } from "node:crypto";
/** The subject, the same for every email of the dispute: marking, prefix, reference. Never a name. */
export function disputeSubject(a, p, reference) {
    return [a.protectiveMarking, p.subjectPrefix ?? a.subjectPrefix, reference].filter(Boolean).join(" ");
}
export function rootMessageId(disputeId, domain) {
    return `<drp.${disputeId}@${domain}>`;
}
/** The Message-ID of one outbox row: the same on a resend, unique otherwise. */
export function messageIdFor(outboxKey, domain) {
    return `<${createHash("sha256").update(outboxKey).digest("hex").slice(0, 40)}@${domain}>`;
}
const FILETIME_EPOCH_OFFSET = 116444736000000000n; // 1601-01-01 to 1970-01-01 in 100 ns
function filetime(at) {
    return BigInt(at.getTime()) * 10000n + FILETIME_EPOCH_OFFSET;
}
function guidBytes(uuid) {
    return Buffer.from(uuid.replaceAll("-", ""), "hex");
}
/** The 22-byte header block: 0x01, FILETIME bits 63–24 big-endian, the dispute's GUID. */
export function threadIndexRoot(disputeId, raisedAt) {
    const out = Buffer.alloc(22);
    out[0] = 0x01;
    const top40 = filetime(raisedAt) >> 24n;
    for (let i = 0; i < 5; i++)
        out[1 + i] = Number((top40 >> BigInt(8 * (4 - i))) & 0xffn);
    guidBytes(disputeId).copy(out, 6);
    return out;
}
/** When the header block says the conversation began (its FILETIME, low 24 bits dropped). */
function rootTime(root) {
    let top40 = 0n;
    for (let i = 0; i < 5; i++)
        top40 = (top40 << 8n) | BigInt(root[1 + i]);
    return top40 << 24n;
}
/**
 * The root plus one 5-byte child block for an email sent at `at`: a delta
 * code bit and 31 bits of the time since the root (in units of 2^18 × 100 ns,
 * or 2^23 once the delta no longer fits), then one byte of "random" that we
 * take from the outbox key so that a resend is identical.
 */
export function threadIndexChild(root, at, salt) {
    const delta = filetime(at) - rootTime(root);
    const d = delta < 0n ? 0n : delta;
    const small = ((d >> 32n) & 0x00fe0000n) === 0n;
    const bits = small ? (d >> 18n) & 0x7fffffffn : ((d >> 23n) & 0x7fffffffn) | 0x80000000n;
    const block = Buffer.alloc(5);
    block.writeUInt32BE(Number(bits), 0);
    block[4] = createHash("sha256").update(salt).digest()[0];
    return Buffer.concat([root.subarray(0, 22), block]);
}
export function threadHeaders(t) {
    const root = threadIndexRoot(t.disputeId, t.raisedAt);
    const index = t.first ? root : threadIndexChild(root, t.at, t.outboxKey);
    const rootId = rootMessageId(t.disputeId, t.domain);
    const topic = { "Thread-Topic": t.subject, "Thread-Index": index.toString("base64") };
    if (t.first)
        return { "Message-ID": rootId, ...topic };
    return { "Message-ID": messageIdFor(t.outboxKey, t.domain), "In-Reply-To": rootId, References: rootId, ...topic };
}
//# sourceMappingURL=threading.js.map