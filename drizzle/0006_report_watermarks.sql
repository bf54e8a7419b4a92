CREATE TABLE "report_watermarks" (
	"authority_id" text NOT NULL,
	"report_id" text NOT NULL,
	"first_period" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_watermarks_authority_id_report_id_pk" PRIMARY KEY("authority_id","report_id")
);
