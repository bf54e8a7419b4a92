CREATE TABLE "outbox" (
	"key" text PRIMARY KEY NOT NULL,
	"dispute_id" uuid,
	"authority_id" text NOT NULL,
	"planner_key" text NOT NULL,
	"kind" text NOT NULL,
	"stage" integer,
	"recipient_role" text NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"locked_by" text,
	"lock_expires_at" timestamp with time zone,
	"message_id" text,
	"date_header" timestamp with time zone,
	"thread_index" text,
	"to_addresses" text[],
	"cc_addresses" text[],
	"smtp_response" text,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"reported_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "disputes" ADD COLUMN "last_email_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_dispute_id_disputes_id_fk" FOREIGN KEY ("dispute_id") REFERENCES "public"."disputes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbox_unfinished" ON "outbox" USING btree ("status","lock_expires_at") WHERE status in ('pending', 'sending');--> statement-breakpoint
CREATE INDEX "outbox_failed" ON "outbox" USING btree ("authority_id","reported_at") WHERE status = 'failed';--> statement-breakpoint
CREATE INDEX "outbox_dispute" ON "outbox" USING btree ("dispute_id");