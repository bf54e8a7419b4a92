CREATE TABLE "review_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"review_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_name" text,
	"actor_email" text,
	"actor_role" text,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"authority_id" text NOT NULL,
	"reference" text NOT NULL,
	"procedure" text NOT NULL,
	"child_ref" text NOT NULL,
	"family_ref" text,
	"team_id" text NOT NULL,
	"service_id" text NOT NULL,
	"held_on" date NOT NULL,
	"chair_name" text NOT NULL,
	"chair_email" text NOT NULL,
	"chair_role" text NOT NULL,
	"status" text NOT NULL,
	"rating" text,
	"next_due_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "disputes" ADD COLUMN "review_id" uuid;--> statement-breakpoint
ALTER TABLE "review_events" ADD CONSTRAINT "review_events_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "review_events_seq" ON "review_events" USING btree ("review_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "reviews_reference" ON "reviews" USING btree ("authority_id","reference");--> statement-breakpoint
CREATE INDEX "reviews_due" ON "reviews" USING btree ("status","next_due_at");--> statement-breakpoint
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- A review's log is append-only, like a dispute's.
CREATE OR REPLACE FUNCTION review_events_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'review_events is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER review_events_no_update_or_delete
  BEFORE UPDATE OR DELETE ON review_events
  FOR EACH ROW EXECUTE FUNCTION review_events_append_only();
