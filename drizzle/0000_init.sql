CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"authority_id" text NOT NULL,
	"key_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"label" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "dispute_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dispute_id" uuid NOT NULL,
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
CREATE TABLE "disputes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"authority_id" text NOT NULL,
	"reference" text NOT NULL,
	"procedure" text NOT NULL,
	"child_ref" text NOT NULL,
	"raised_by_name" text NOT NULL,
	"raised_by_email" text NOT NULL,
	"raised_by_role" text NOT NULL,
	"team_id" text NOT NULL,
	"service_id" text NOT NULL,
	"categories" text[] NOT NULL,
	"other_category" text,
	"summary" text NOT NULL,
	"requested_actions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"stage" integer NOT NULL,
	"status" text NOT NULL,
	"awaiting" text NOT NULL,
	"formal_started_on" date,
	"overall_deadline" date,
	"respond_by" date,
	"respond_by_at" timestamp with time zone,
	"raised_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "people" (
	"authority_id" text NOT NULL,
	"person_id" text NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	CONSTRAINT "people_authority_id_person_id_pk" PRIMARY KEY("authority_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "reference_counters" (
	"authority_id" text NOT NULL,
	"year" integer NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "reference_counters_authority_id_year_pk" PRIMARY KEY("authority_id","year")
);
--> statement-breakpoint
CREATE TABLE "role_holders" (
	"authority_id" text NOT NULL,
	"scope" text NOT NULL,
	"scope_id" text NOT NULL,
	"role" text NOT NULL,
	"person_id" text NOT NULL,
	CONSTRAINT "role_holders_authority_id_scope_scope_id_role_person_id_pk" PRIMARY KEY("authority_id","scope","scope_id","role","person_id")
);
--> statement-breakpoint
CREATE TABLE "services" (
	"authority_id" text NOT NULL,
	"service_id" text NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "services_authority_id_service_id_pk" PRIMARY KEY("authority_id","service_id")
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"authority_id" text NOT NULL,
	"team_id" text NOT NULL,
	"name" text NOT NULL,
	"service_id" text NOT NULL,
	CONSTRAINT "teams_authority_id_team_id_pk" PRIMARY KEY("authority_id","team_id")
);
--> statement-breakpoint
ALTER TABLE "dispute_events" ADD CONSTRAINT "dispute_events_dispute_id_disputes_id_fk" FOREIGN KEY ("dispute_id") REFERENCES "public"."disputes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_hash" ON "api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "dispute_events_seq" ON "dispute_events" USING btree ("dispute_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "disputes_reference" ON "disputes" USING btree ("authority_id","reference");--> statement-breakpoint
CREATE INDEX "disputes_open" ON "disputes" USING btree ("authority_id","status","respond_by_at");--> statement-breakpoint
CREATE INDEX "disputes_child" ON "disputes" USING btree ("authority_id","child_ref");