ALTER TABLE "sweeps" ADD COLUMN "failure" text;--> statement-breakpoint
ALTER TABLE "sweeps" ADD COLUMN "failure_detail" jsonb;--> statement-breakpoint
ALTER TABLE "sweeps" ADD COLUMN "failed_at" timestamp with time zone;