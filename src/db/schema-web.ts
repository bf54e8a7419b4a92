// The pages' own tables: who is signed in, the sign-in links sent by email,
// and who opened which case (children's records need an access trail).
import { bigserial, index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { instant } from "./columns.ts";

/** A signed-in browser. Its cookie carries a random id; only the id's hash is kept. */
export const webSessions = pgTable(
  "web_sessions",
  {
    idHash: text("id_hash").primaryKey(),
    authorityId: text("authority_id").notNull(),
    /** lower case: matched to the directory's people at every request */
    email: text("email").notNull(),
    /** "email" (a sign-in link) or "oidc" (the authority's identity provider) */
    method: text("method", { enum: ["email", "oidc"] }).notNull(),
    createdAt: instant("created_at").notNull(),
    /** idle for SESSION_IDLE_MINUTES after this, the session is over */
    lastSeenAt: instant("last_seen_at").notNull(),
    endedAt: instant("ended_at"),
  },
  (t) => [index("web_sessions_email").on(t.authorityId, t.email)],
);

/**
 * A sign-in link sent by email: single use, 15 minutes, and bound to the
 * browser that asked for it (a cookie whose hash is kept here).
 */
export const signInLinks = pgTable(
  "sign_in_links",
  {
    /** sealed into the emailed link's token (links/sign-in-token.ts), never shown */
    id: uuid("id").primaryKey().defaultRandom(),
    browserHash: text("browser_hash").notNull(),
    authorityId: text("authority_id").notNull(),
    email: text("email").notNull(),
    createdAt: instant("created_at").notNull(),
    expiresAt: instant("expires_at").notNull(),
    usedAt: instant("used_at"),
  },
  (t) => [index("sign_in_links_email").on(t.email, t.createdAt)],
);

/** Every time a person opened a dispute's or a review's page or a step's form, or downloaded it in a list. */
export const caseViews = pgTable(
  "case_views",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    authorityId: text("authority_id").notNull(),
    disputeId: uuid("dispute_id"),
    reviewId: uuid("review_id"),
    /** "page" (its page opened), "step" (a step's form opened), "csv" (in a download of the outstanding list) */
    what: text("what", { enum: ["page", "step", "csv"] })
      .notNull()
      .default("page"),
    viewerEmail: text("viewer_email").notNull(),
    viewerName: text("viewer_name").notNull(),
    at: instant("at").notNull(),
  },
  (t) => [index("case_views_dispute").on(t.disputeId, t.at), index("case_views_review").on(t.reviewId, t.at)],
);
