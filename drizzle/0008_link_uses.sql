CREATE TABLE "link_uses" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"authority_id" text NOT NULL,
	"dispute_id" uuid NOT NULL,
	"action" text NOT NULL,
	"used_at" timestamp with time zone NOT NULL
);
