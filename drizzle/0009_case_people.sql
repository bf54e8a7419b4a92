ALTER TABLE "disputes" ADD COLUMN "case_people" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN "case_people" jsonb DEFAULT '{}'::jsonb NOT NULL;