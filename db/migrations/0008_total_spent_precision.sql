ALTER TABLE "followers" ALTER COLUMN "total_spent" SET DATA TYPE numeric(20, 2);--> statement-breakpoint
ALTER TABLE "followers" ALTER COLUMN "total_spent" SET DEFAULT '0';