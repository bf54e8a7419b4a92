// Copying each good-practice entry to the roles its register names (WF §11.1
// "QA DHOS will be copied in"). A maintenance job every minute
// (DRP_REGISTERS_MS) takes the entries whose copies are due
// (good_practice.notice_due_at, set when the entry is recorded), sends each
// role's email once (outbox key register:<authority>:good_practice:<entry>/<role>)
// in sending hours, and clears the instant once every copy is finished.
import { and, eq, isNotNull, lte } from "drizzle-orm";
import { loadDirectory } from "../db/queries/directory.ts";
import { goodPractice } from "../db/schema.ts";
import { resolveRole } from "../domain/directory.ts";
import { registerOf } from "../domain/register/config.ts";
import { maySendNow } from "../domain/sending-hours.ts";
import { goodPracticeNoticeView } from "../mail/good-practice-notice.ts";
import { type Claim, claim, type FinalRow, finishedUnder, recordFinal } from "../mail/outbox.ts";
import { serviceEmail } from "../mail/send.ts";
import { messageIdFor } from "../mail/threading.ts";
import { safeMessage } from "../safe-error.ts";
import type { GoodPracticeRow } from "../service/good-practice.ts";
import type { WorkerDeps } from "./dispatch.ts";

export const KIND = "good_practice_recorded";

export const noticePrefix = (row: Pick<GoodPracticeRow, "authorityId" | "id">) => `register:${row.authorityId}:good_practice:${row.id}/`;

/** Sends every good-practice copy that is due; returns how many went. */
export async function sendDueGoodPracticeNotices(deps: WorkerDeps, limit = 500): Promise<number> {
  const now = deps.svc.clock.now();
  const due = await deps.svc.db
    .select()
    .from(goodPractice)
    .where(and(isNotNull(goodPractice.noticeDueAt), lte(goodPractice.noticeDueAt, now)))
    .limit(limit);
  let sent = 0;
  for (const row of due) {
    try {
      sent += await sendNotice(deps, row);
    } catch (e) {
      deps.log.warn(
        { goodPractice: row.id, err: safeMessage(e) },
        "a good-practice entry's copies could not all be sent; the next run tries again",
      );
    }
  }
  return sent;
}

async function sendNotice(deps: WorkerDeps, row: GoodPracticeRow): Promise<number> {
  const { svc } = deps;
  const a = svc.authorities.get(row.authorityId);
  const register = a && registerOf(a, "good_practice");
  const done = () => svc.db.update(goodPractice).set({ noticeDueAt: null }).where(eq(goodPractice.id, row.id));
  if (!a || !register?.copied.length) {
    await done(); // the register no longer copies anyone: nothing is owed
    return 0;
  }
  const now = svc.clock.now();
  if (!maySendNow(a, row.noticeDueAt!, now)) return 0; // waits for the authority's sending hours
  const prefix = noticePrefix(row);
  const finished = await finishedUnder(svc.db, prefix);
  const dir = await loadDirectory(svc.db, a.id);
  const team = dir.teams.get(row.teamId)?.name ?? row.teamId;
  const base = { disputeId: null, authorityId: a.id, plannerKey: prefix.slice(0, -1), kind: KIND, stage: null };
  const finals: FinalRow[] = [];
  const claims: Claim[] = [];
  const people = new Map<string, { name: string; email: string }[]>();
  for (const role of register.copied) {
    const key = `${prefix}${role}`;
    if (finished.has(key)) continue;
    const found = resolveRole(dir, role, row.teamId);
    if (!found.found || !found.people.length) {
      // on the QA inbox's daily list of failures, like any email nobody could be sent
      finals.push({ ...base, key, recipientRole: role, status: "failed", reason: `no one holds the role ${role} for team ${row.teamId}` });
      continue;
    }
    people.set(key, found.people);
    claims.push({
      ...base,
      key,
      recipientRole: role,
      messageId: messageIdFor(key, deps.mailDomain),
      dateHeader: now,
      toAddresses: found.people.map((p) => p.email),
    });
  }
  await recordFinal(svc.db, finals);
  const held = await claim(svc.db, claims, deps.workerId, now, deps.leaseMs);
  const delivered = await deps.sender.deliver(
    held.map((r) => ({
      row: r,
      ids: { authority: a.id, goodPractice: row.id },
      build: () => {
        const to = people.get(r.key)!;
        const view = goodPracticeNoticeView(
          a,
          register,
          {
            reference: row.reference,
            noticedOn: row.noticedOn,
            procedure: row.procedure,
            teamName: team,
            about: row.about,
            disputeReference: row.disputeReference,
            childRef: row.childRef,
            noticedBy: { name: row.noticedByName, email: row.noticedByEmail, role: row.noticedByRole },
            recordedBy: row.recordedByName ? { name: row.recordedByName } : null,
          },
          { role: r.recipientRole, names: to.map((p) => p.name) },
        );
        // a reply goes to the chair who noticed it
        const email = serviceEmail(
          deps.from,
          r,
          to.map((p) => p.email),
          { subject: view.subject, ...deps.renderer.render(view) },
        );
        return { ...email, replyTo: row.noticedByEmail };
      },
    })),
  );
  const after = await finishedUnder(svc.db, prefix);
  if (register.copied.every((role) => after.has(`${prefix}${role}`))) await done();
  return [...delivered.values()].filter((d) => d.result === "sent").length;
}
