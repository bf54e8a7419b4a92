// The PostgreSQL schema. Postgres is the source of truth: the dispute_events
// log is what an auditor reads, and the disputes row is a projection of it,
// rebuilt from the log on every step. There is no column for a child's name.
import { sql } from "drizzle-orm";
import { bigserial, date, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { PROCEDURE_IDS } from "../domain/procedure/ids.ts";
import { CHAIR_ROLES, INSTIGATOR_ROLES } from "../domain/procedure/roles.ts";

import { instant } from "./columns.ts";

export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    authorityId: text("authority_id").notNull(),
    /** SHA-256 of the key; the key itself is shown once and never stored */
    keyHash: text("key_hash").notNull(),
    /** the key's first characters, to tell keys apart in a list */
    prefix: text("prefix").notNull(),
    label: text("label"),
    createdAt: instant("created_at").notNull().defaultNow(),
    revokedAt: instant("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_hash").on(t.keyHash)],
);

export const people = pgTable(
  "people",
  {
    authorityId: text("authority_id").notNull(),
    personId: text("person_id").notNull(),
    name: text("name").notNull(),
    email: text("email").notNull(),
  },
  (t) => [primaryKey({ columns: [t.authorityId, t.personId] })],
);

export const services = pgTable(
  "services",
  {
    authorityId: text("authority_id").notNull(),
    serviceId: text("service_id").notNull(),
    name: text("name").notNull(),
  },
  (t) => [primaryKey({ columns: [t.authorityId, t.serviceId] })],
);

export const teams = pgTable(
  "teams",
  {
    authorityId: text("authority_id").notNull(),
    teamId: text("team_id").notNull(),
    name: text("name").notNull(),
    serviceId: text("service_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.authorityId, t.teamId] })],
);

/** Who holds a role for a team, a service, or the whole authority (scope_id ''). */
export const roleHolders = pgTable(
  "role_holders",
  {
    authorityId: text("authority_id").notNull(),
    scope: text("scope", { enum: ["team", "service", "authority"] }).notNull(),
    scopeId: text("scope_id").notNull(),
    role: text("role").notNull(),
    personId: text("person_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.authorityId, t.scope, t.scopeId, t.role, t.personId] })],
);

export const disputes = pgTable(
  "disputes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    authorityId: text("authority_id").notNull(),
    /** the reference emails and people use, e.g. DRP-BIR-2026-0042 */
    reference: text("reference").notNull(),
    /** a plain text column: widening the TS enum needs no migration */
    procedure: text("procedure", { enum: PROCEDURE_IDS }).notNull(),
    /** the child's id in the local case-management system; never a name */
    childRef: text("child_ref").notNull(),
    /** the family's id in the case-management system, where recorded (for the reports' family counts); never a name */
    familyRef: text("family_ref"),
    raisedByName: text("raised_by_name").notNull(),
    raisedByEmail: text("raised_by_email").notNull(),
    raisedByRole: text("raised_by_role", { enum: INSTIGATOR_ROLES }).notNull(),
    teamId: text("team_id").notNull(),
    serviceId: text("service_id").notNull(),
    categories: text("categories").array().notNull(),
    otherCategory: text("other_category"),
    /** free text: never logged */
    summary: text("summary").notNull(),
    requestedActions: jsonb("requested_actions").$type<RequestedAction[]>().notNull().default([]),
    /** people named on the child's case, by role: directory person ids (the social worker, their line manager) */
    casePeople: jsonb("case_people").$type<Record<string, string>>().notNull().default({}),
    // projection of the event log, rebuilt on every step
    stage: integer("stage").notNull(),
    /** every stage it has been at, in order of number: whose it has been (the pages show a manager the disputes they held) */
    stagesEntered: integer("stages_entered").array().notNull().default(sql`'{}'::integer[]`),
    status: text("status", { enum: ["open", "resolved", "referred_to_cafcass", "withdrawn"] }).notNull(),
    awaiting: text("awaiting", { enum: ["response", "decision"] }).notNull(),
    formalStartedOn: date("formal_started_on", { mode: "string" }),
    overallDeadline: date("overall_deadline", { mode: "string" }),
    respondBy: date("respond_by", { mode: "string" }),
    respondByAt: instant("respond_by_at"),
    raisedAt: instant("raised_at").notNull(),
    closedAt: instant("closed_at"),
    /** the Date of the dispute's latest email: each next one is at least a second later */
    lastEmailAt: instant("last_email_at"),
    /**
     * When the planner next has something for this dispute (null: nothing left),
     * as worked out for `nextDueVersion`: what its job in Redis is armed for, so
     * that a Redis that lost its jobs is re-armed without planning each dispute.
     */
    nextDueAt: instant("next_due_at"),
    nextDueVersion: integer("next_due_version"),
    /** the statutory review (or conference) that led to this dispute, if raised from one */
    reviewId: uuid("review_id").references(() => reviews.id),
    version: integer("version").notNull().default(1),
    createdAt: instant("created_at").notNull().defaultNow(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("disputes_reference").on(t.authorityId, t.reference),
    index("disputes_open").on(t.authorityId, t.status, t.respondByAt),
    index("disputes_child").on(t.authorityId, t.childRef),
    // the outstanding page: a team's open disputes, and an IRO's or CP Chair's own
    index("disputes_open_team").on(t.authorityId, t.teamId).where(sql`status = 'open'`),
    index("disputes_open_raised_by").on(t.authorityId, sql`lower(${t.raisedByEmail})`).where(sql`status = 'open'`),
  ],
);

export interface RequestedAction {
  action: string;
  /** date the action is to be completed by */
  by: string;
}

/** Append-only (a trigger refuses UPDATE and DELETE): the record of every step. */
export const disputeEvents = pgTable(
  "dispute_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    disputeId: uuid("dispute_id")
      .notNull()
      .references(() => disputes.id),
    seq: integer("seq").notNull(),
    type: text("type").notNull(),
    /** when the step happened (may be backdated when migrating a tracker) */
    at: instant("at").notNull(),
    actorName: text("actor_name"),
    actorEmail: text("actor_email"),
    actorRole: text("actor_role"),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    recordedAt: instant("recorded_at").notNull().default(sql`now()`),
  },
  (t) => [uniqueIndex("dispute_events_seq").on(t.disputeId, t.seq)],
);

/** Per-authority, per-year counters behind dispute references. */
export const referenceCounters = pgTable(
  "reference_counters",
  {
    authorityId: text("authority_id").notNull(),
    year: integer("year").notNull(),
    last: integer("last").notNull(),
  },
  (t) => [primaryKey({ columns: [t.authorityId, t.year] })],
);

/**
 * One row per email, written before it is sent, keyed by
 * dispute / stage / kind / recipient role (the planner's key plus the role).
 * Claiming a row is a conditional UPDATE, so of several workers only one sends;
 * the headers are fixed at the first claim so that a resend after a crash is
 * the same message (same Message-ID).
 */
export const outbox = pgTable(
  "outbox",
  {
    key: text("key").primaryKey(),
    disputeId: uuid("dispute_id").references(() => disputes.id),
    authorityId: text("authority_id").notNull(),
    plannerKey: text("planner_key").notNull(),
    kind: text("kind").notNull(),
    stage: integer("stage"),
    recipientRole: text("recipient_role").notNull(),
    /** bounced: sent, then a delivery report said it could not be delivered (mail/inbound) */
    status: text("status", { enum: ["pending", "sending", "sent", "skipped", "failed", "bounced"] }).notNull(),
    /** why it was skipped or failed */
    reason: text("reason"),
    attempts: integer("attempts").notNull().default(0),
    lockedBy: text("locked_by"),
    lockExpiresAt: instant("lock_expires_at"),
    messageId: text("message_id"),
    dateHeader: instant("date_header"),
    threadIndex: text("thread_index"),
    toAddresses: text("to_addresses").array(),
    ccAddresses: text("cc_addresses").array(),
    smtpResponse: text("smtp_response"),
    lastError: text("last_error"),
    createdAt: instant("created_at").notNull().defaultNow(),
    sentAt: instant("sent_at"),
    /** when a failure was reported in the QA inbox's daily list */
    reportedAt: instant("reported_at"),
    /**
     * the token in this email's envelope sender (mail/verp.ts), what a delivery report or an automatic reply is
     * matched by: random (76 bits), set when the row is first written and kept, so that nobody can make one up
     */
    bounceToken: text("bounce_token").notNull().default(sql`substr(replace(gen_random_uuid()::text, '-', ''), 1, 20)`),
    /** the enhanced status code of the delivery report that bounced it, e.g. "5.1.1" */
    deliveryStatus: text("delivery_status"),
    bouncedAt: instant("bounced_at"),
  },
  (t) => [
    index("outbox_bounce_token").on(t.bounceToken),
    index("outbox_unfinished").on(t.status, t.lockExpiresAt).where(sql`status in ('pending', 'sending')`),
    index("outbox_failed").on(t.authorityId, t.reportedAt).where(sql`status in ('failed', 'bounced')`),
    index("outbox_dispute").on(t.disputeId),
  ],
);

/**
 * Requests sent with an Idempotency-Key header: the same key gets the same
 * answer, and the step is applied once. `status` 0 while the first request is
 * being handled.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    authorityId: text("authority_id").notNull(),
    key: text("key").notNull(),
    /** method, path and a hash of the body: the same key with another request is refused */
    fingerprint: text("fingerprint").notNull(),
    status: integer("status").notNull().default(0),
    response: jsonb("response").$type<unknown>(),
    createdAt: instant("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.authorityId, t.key] }), index("idempotency_keys_created").on(t.createdAt)],
);

/**
 * The first period of each report the system sends: the period it was running
 * in when it first saw the report. Reports fall due after their period ends, so
 * a new installation (or a new report) does not send a backlog of periods it
 * did not watch; one that fell due while the worker was down still goes.
 */
export const reportWatermarks = pgTable(
  "report_watermarks",
  {
    authorityId: text("authority_id").notNull(),
    reportId: text("report_id").notNull(),
    /** "2027-01" or "2027-Q1" */
    firstPeriod: text("first_period").notNull(),
    createdAt: instant("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.authorityId, t.reportId] })],
);

/**
 * A statutory review (IRO) or child protection conference (CP Chair), from
 * which the procedure's pre-dispute deadlines run; a projection of its
 * review_events, rebuilt on every step, like a dispute's.
 */
export const reviews = pgTable(
  "reviews",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    authorityId: text("authority_id").notNull(),
    /** e.g. WF-REV-2027-0003 */
    reference: text("reference").notNull(),
    procedure: text("procedure", { enum: PROCEDURE_IDS }).notNull(),
    /** the child's id in the case-management system; never a name */
    childRef: text("child_ref").notNull(),
    familyRef: text("family_ref"),
    teamId: text("team_id").notNull(),
    serviceId: text("service_id").notNull(),
    heldOn: date("held_on", { mode: "string" }).notNull(),
    /** people named on the child's case, by role: directory person ids (Gloucestershire ¶3–4) */
    casePeople: jsonb("case_people").$type<Record<string, string>>().notNull().default({}),
    chairName: text("chair_name").notNull(),
    chairEmail: text("chair_email").notNull(),
    chairRole: text("chair_role", { enum: CHAIR_ROLES }).notNull(),
    status: text("status", { enum: ["open", "closed"] }).notNull(),
    rating: text("rating", { enum: ["green", "amber", "red"] }),
    /** when its next email is due (null: none left); the worker's sweep reads this */
    nextDueAt: instant("next_due_at"),
    version: integer("version").notNull().default(1),
    createdAt: instant("created_at").notNull().defaultNow(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
    closedAt: instant("closed_at"),
  },
  (t) => [uniqueIndex("reviews_reference").on(t.authorityId, t.reference), index("reviews_due").on(t.status, t.nextDueAt)],
);

/** Append-only (a trigger refuses UPDATE and DELETE): every step on a review. */
export const reviewEvents = pgTable(
  "review_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    reviewId: uuid("review_id")
      .notNull()
      .references(() => reviews.id),
    seq: integer("seq").notNull(),
    type: text("type").notNull(),
    at: instant("at").notNull(),
    actorName: text("actor_name"),
    actorEmail: text("actor_email"),
    actorRole: text("actor_role"),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    recordedAt: instant("recorded_at").notNull().default(sql`now()`),
  },
  (t) => [uniqueIndex("review_events_seq").on(t.reviewId, t.seq)],
);

/** Each signed link used to take a step (its hash only): a link works once. */
export const linkUses = pgTable("link_uses", {
  tokenHash: text("token_hash").primaryKey(),
  authorityId: text("authority_id").notNull(),
  disputeId: uuid("dispute_id").notNull(),
  action: text("action").notNull(),
  usedAt: instant("used_at").notNull(),
});

/**
 * An action agreed at SLT, in the log the QA service keeps (Newham §10: "an
 * Action Log maintained"). The action and its owner are free text: never logged.
 */
export const sltActions = pgTable(
  "slt_actions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    authorityId: text("authority_id").notNull(),
    /** e.g. NEW-ACT-2027-0003 */
    reference: text("reference").notNull(),
    action: text("action").notNull(),
    /** a role or a senior manager's name, as SLT recorded it */
    owner: text("owner").notNull(),
    agreedOn: date("agreed_on", { mode: "string" }).notNull(),
    dueOn: date("due_on", { mode: "string" }),
    status: text("status", { enum: ["open", "done", "dropped"] }).notNull(),
    /** when it was done or dropped (null while open) */
    closedOn: date("closed_on", { mode: "string" }),
    version: integer("version").notNull().default(1),
    createdAt: instant("created_at").notNull().defaultNow(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("slt_actions_reference").on(t.authorityId, t.reference), index("slt_actions_agreed").on(t.authorityId, t.agreedOn)],
);

/** Append-only (a trigger refuses UPDATE and DELETE): the progress recorded at each later meeting (Newham §10). */
export const sltActionProgress = pgTable(
  "slt_action_progress",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    actionId: uuid("action_id")
      .notNull()
      .references(() => sltActions.id),
    seq: integer("seq").notNull(),
    /** the meeting's date */
    on: date("on", { mode: "string" }).notNull(),
    /** free text: never logged */
    note: text("note").notNull(),
    recordedAt: instant("recorded_at").notNull().default(sql`now()`),
  },
  (t) => [uniqueIndex("slt_action_progress_seq").on(t.actionId, t.seq)],
);

/**
 * Good practice an IRO or CP Chair noticed, by an individual or a team (WF
 * §1.2, §11.1), recorded by them or by business support. A child appears by
 * case reference only; the description is free text: never logged.
 */
export const goodPractice = pgTable(
  "good_practice",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    authorityId: text("authority_id").notNull(),
    /** e.g. WF-GP-2027-0001 */
    reference: text("reference").notNull(),
    noticedOn: date("noticed_on", { mode: "string" }).notNull(),
    procedure: text("procedure", { enum: ["iro", "cp"] }).notNull(),
    teamId: text("team_id").notNull(),
    about: text("about", { enum: ["individual", "team"] }).notNull(),
    /** the dispute it was noticed in, where there is one (this authority's) */
    disputeReference: text("dispute_reference"),
    childRef: text("child_ref"),
    description: text("description").notNull(),
    noticedByName: text("noticed_by_name").notNull(),
    noticedByEmail: text("noticed_by_email").notNull(),
    noticedByRole: text("noticed_by_role", { enum: ["iro", "cp_chair"] }).notNull(),
    /** business support, where they recorded it for the chair (§11.1) */
    recordedByName: text("recorded_by_name"),
    recordedByEmail: text("recorded_by_email"),
    /** when the register's copies are next due to be emailed (null: none left); the worker's sweep reads this */
    noticeDueAt: instant("notice_due_at"),
    createdAt: instant("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("good_practice_reference").on(t.authorityId, t.reference),
    index("good_practice_noticed").on(t.authorityId, t.noticedOn),
    index("good_practice_notice_due").on(t.noticeDueAt).where(sql`notice_due_at is not null`),
  ],
);
export * from "./schema-web.ts";

/**
 * Each message read from the bounce mailbox, by its Message-ID (or a digest of
 * it where it has none): written in the same transaction as what it causes, so
 * that a message is filed once however often the reader is killed and restarted.
 * `detail` holds codes and dates, never the message's text.
 */
export const inboundMessages = pgTable("inbound_messages", {
  id: text("id").primaryKey(),
  filedAs: text("filed_as", { enum: ["delivery_report", "auto_reply", "other"] }).notNull(),
  authorityId: text("authority_id"),
  outboxKey: text("outbox_key"),
  detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
  receivedAt: instant("received_at"),
  filedAt: instant("filed_at").notNull().defaultNow(),
});

/** Every hard or soft delivery report for an address: three soft ones in a row count as a hard one. */
export const deliveryReports = pgTable(
  "delivery_reports",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    authorityId: text("authority_id").notNull(),
    email: text("email").notNull(),
    outboxKey: text("outbox_key").notNull(),
    severity: text("severity", { enum: ["hard", "soft"] }).notNull(),
    status: text("status").notNull(),
    at: instant("at").notNull(),
  },
  (t) => [index("delivery_reports_address").on(t.authorityId, t.email, t.at)],
);

/**
 * An address that bounced: its person is left out of every email until the
 * directory no longer gives it (a new holder, a new address) or someone clears
 * the mark; the QA inbox stands in meanwhile. Kept when cleared, so that soft
 * reports are counted afresh from then.
 */
export const undeliverableAddresses = pgTable(
  "undeliverable_addresses",
  {
    authorityId: text("authority_id").notNull(),
    /** lower case */
    email: text("email").notNull(),
    since: instant("since").notNull(),
    status: text("status").notNull(),
    outboxKey: text("outbox_key").notNull(),
    clearedAt: instant("cleared_at"),
  },
  (t) => [primaryKey({ columns: [t.authorityId, t.email] })],
);
