CREATE TABLE "good_practice" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"authority_id" text NOT NULL,
	"reference" text NOT NULL,
	"noticed_on" date NOT NULL,
	"procedure" text NOT NULL,
	"team_id" text NOT NULL,
	"about" text NOT NULL,
	"dispute_reference" text,
	"child_ref" text,
	"description" text NOT NULL,
	"noticed_by_name" text NOT NULL,
	"noticed_by_email" text NOT NULL,
	"noticed_by_role" text NOT NULL,
	"recorded_by_name" text,
	"recorded_by_email" text,
	"notice_due_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slt_action_progress" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"action_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"on" date NOT NULL,
	"note" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slt_actions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"authority_id" text NOT NULL,
	"reference" text NOT NULL,
	"action" text NOT NULL,
	"owner" text NOT NULL,
	"agreed_on" date NOT NULL,
	"due_on" date,
	"status" text NOT NULL,
	"closed_on" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "slt_action_progress" ADD CONSTRAINT "slt_action_progress_action_id_slt_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."slt_actions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "good_practice_reference" ON "good_practice" USING btree ("authority_id","reference");--> statement-breakpoint
CREATE INDEX "good_practice_noticed" ON "good_practice" USING btree ("authority_id","noticed_on");--> statement-breakpoint
CREATE INDEX "good_practice_notice_due" ON "good_practice" USING btree ("notice_due_at") WHERE notice_due_at is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "slt_action_progress_seq" ON "slt_action_progress" USING btree ("action_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "slt_actions_reference" ON "slt_actions" USING btree ("authority_id","reference");--> statement-breakpoint
CREATE INDEX "slt_actions_agreed" ON "slt_actions" USING btree ("authority_id","agreed_on");
--> statement-breakpoint
-- Progress recorded at a meeting stands as recorded (Newham §10), like a dispute's log.
CREATE OR REPLACE FUNCTION slt_action_progress_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'slt_action_progress is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER slt_action_progress_no_update_or_delete
  BEFORE UPDATE OR DELETE ON slt_action_progress
  FOR EACH ROW EXECUTE FUNCTION slt_action_progress_append_only();
