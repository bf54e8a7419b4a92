CREATE TABLE "case_views" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"authority_id" text NOT NULL,
	"dispute_id" uuid,
	"review_id" uuid,
	"viewer_email" text NOT NULL,
	"viewer_name" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sign_in_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"browser_hash" text NOT NULL,
	"authority_id" text NOT NULL,
	"email" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "web_sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"authority_id" text NOT NULL,
	"email" text NOT NULL,
	"method" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "disputes" ADD COLUMN "stages_entered" integer[] DEFAULT '{}'::integer[] NOT NULL;--> statement-breakpoint
CREATE INDEX "case_views_dispute" ON "case_views" USING btree ("dispute_id","at");--> statement-breakpoint
CREATE INDEX "case_views_review" ON "case_views" USING btree ("review_id","at");--> statement-breakpoint
CREATE INDEX "sign_in_links_email" ON "sign_in_links" USING btree ("email","created_at");--> statement-breakpoint
CREATE INDEX "web_sessions_email" ON "web_sessions" USING btree ("authority_id","email");--> statement-breakpoint
CREATE INDEX "disputes_open_team" ON "disputes" USING btree ("authority_id","team_id") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "disputes_open_raised_by" ON "disputes" USING btree ("authority_id",lower("raised_by_email")) WHERE status = 'open';--> statement-breakpoint
-- every stage each existing dispute has been at, from its own log: the stage it was raised at and each escalation's
UPDATE "disputes" d SET "stages_entered" = (
  SELECT array_agg(DISTINCT s ORDER BY s) FROM (
    SELECT (e."payload"->>'stage')::integer AS s FROM "dispute_events" e
      WHERE e."dispute_id" = d."id" AND e."type" = 'raised' AND e."payload" ? 'stage'
    UNION SELECT (e."payload"->>'toStage')::integer FROM "dispute_events" e
      WHERE e."dispute_id" = d."id" AND e."type" = 'escalated' AND e."payload" ? 'toStage'
    UNION SELECT d."stage"
  ) entered WHERE s IS NOT NULL
);
