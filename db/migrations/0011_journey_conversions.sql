ALTER TABLE "journeys" ADD COLUMN "goal_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "journeys" ADD COLUMN "converted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "journeys" ADD COLUMN "conversion_event_id" bigint;--> statement-breakpoint
CREATE INDEX "journeys_goal_open_idx" ON "journeys" USING btree ("follower_id","goal_until") WHERE "journeys"."converted_at" is null and "journeys"."goal_until" is not null;--> statement-breakpoint
-- Journeys that entered before: their goal window from the version they run, and the
-- conversions already recorded by their status.
UPDATE "journeys" j SET "goal_until" = j."entered_at" + (v."plan" #>> '{settings,goal,withinMs}')::bigint * interval '1 millisecond'
  FROM "flow_versions" v
  WHERE v."id" = j."flow_version_id" AND jsonb_typeof(v."plan" #> '{settings,goal,withinMs}') = 'number';--> statement-breakpoint
UPDATE "journeys" SET "converted_at" = coalesce("ended_at", now()) WHERE "status" = 'converted';
