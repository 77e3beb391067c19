ALTER TABLE "followers" ADD COLUMN "quota_kind" text;--> statement-breakpoint
ALTER TABLE "followers" ADD COLUMN "quota_left" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "followers" ADD COLUMN "quota_expires_at" timestamp with time zone;--> statement-breakpoint
-- Carry over the 48-hour windows a fan's text opened (a follow's minute is long gone): 5
-- messages less those already sent, until 48 hours after the text.
UPDATE "followers" SET "quota_kind" = 'message', "quota_left" = greatest(0, 5 - "window_messages_sent"), "quota_expires_at" = "window_opened_at" + interval '48 hours' WHERE "window_opened_at" > now() - interval '48 hours' AND EXISTS (SELECT 1 FROM "events" e WHERE e."follower_id" = "followers"."id" AND e."type" = 'keyword' AND e."occurred_at" = "followers"."window_opened_at");--> statement-breakpoint
ALTER TABLE "followers" DROP COLUMN "window_opened_at";--> statement-breakpoint
ALTER TABLE "followers" DROP COLUMN "window_messages_sent";