CREATE TABLE "delivery_reports" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"authority_id" text NOT NULL,
	"email" text NOT NULL,
	"outbox_key" text NOT NULL,
	"severity" text NOT NULL,
	"status" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbound_messages" (
	"id" text PRIMARY KEY NOT NULL,
	"filed_as" text NOT NULL,
	"authority_id" text,
	"outbox_key" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"received_at" timestamp with time zone,
	"filed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "undeliverable_addresses" (
	"authority_id" text NOT NULL,
	"email" text NOT NULL,
	"since" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"outbox_key" text NOT NULL,
	"cleared_at" timestamp with time zone,
	CONSTRAINT "undeliverable_addresses_authority_id_email_pk" PRIMARY KEY("authority_id","email")
);
--> statement-breakpoint
DROP INDEX "outbox_failed";--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "delivery_status" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "bounced_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "delivery_reports_address" ON "delivery_reports" USING btree ("authority_id","email","at");--> statement-breakpoint
CREATE INDEX "outbox_failed" ON "outbox" USING btree ("authority_id","reported_at") WHERE status in ('failed', 'bounced');