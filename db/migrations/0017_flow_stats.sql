CREATE TABLE "flow_stats" (
	"flow_id" uuid NOT NULL,
	"flow_version_id" uuid NOT NULL,
	"node_id" text NOT NULL,
	"day" date NOT NULL,
	"metric" text NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "flow_stats_flow_version_id_node_id_day_metric_pk" PRIMARY KEY("flow_version_id","node_id","day","metric")
);
--> statement-breakpoint
CREATE TABLE "qr_channel_stats" (
	"brand_id" uuid NOT NULL,
	"scene" text NOT NULL,
	"day" date NOT NULL,
	"metric" text NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "qr_channel_stats_brand_id_scene_day_metric_pk" PRIMARY KEY("brand_id","scene","day","metric")
);
--> statement-breakpoint
ALTER TABLE "coupon_codes" ADD COLUMN "redeemed_order_id" text;--> statement-breakpoint
ALTER TABLE "coupon_codes" ADD COLUMN "redeemed_store" text;--> statement-breakpoint
ALTER TABLE "flow_stats" ADD CONSTRAINT "flow_stats_flow_id_flows_id_fk" FOREIGN KEY ("flow_id") REFERENCES "public"."flows"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flow_stats" ADD CONSTRAINT "flow_stats_flow_version_id_flow_versions_id_fk" FOREIGN KEY ("flow_version_id") REFERENCES "public"."flow_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qr_channel_stats" ADD CONSTRAINT "qr_channel_stats_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "flow_stats_flow_day_idx" ON "flow_stats" USING btree ("flow_id","day");--> statement-breakpoint
-- A wait's record stayed 'entered' after the journey moved on; from now on the next step closes
-- it. Close the ones journeys already left, as of the next step's arrival.
UPDATE "journey_steps" s SET "status" = 'completed',
  "completed_at" = (SELECT min(n."entered_at") FROM "journey_steps" n WHERE n."journey_id" = s."journey_id" AND n."id" > s."id")
  WHERE s."status" = 'entered'
    AND EXISTS (SELECT 1 FROM "journey_steps" n WHERE n."journey_id" = s."journey_id" AND n."id" > s."id");--> statement-breakpoint
-- The counters of the journeys recorded before them (their triggers excepted: a journey does not
-- record which trigger it entered by), so that those still running count down from them.
INSERT INTO "flow_stats" ("flow_id", "flow_version_id", "node_id", "day", "metric", "n")
SELECT "flow_id", "flow_version_id", "node_id", "day", "metric", sum("n") FROM (
  SELECT j."flow_id", j."flow_version_id", '' AS "node_id", (j."entered_at" AT TIME ZONE b."timezone")::date AS "day", 'entered' AS "metric", 1 AS "n"
    FROM "journeys" j JOIN "brands" b ON b."id" = j."brand_id"
  UNION ALL
  SELECT j."flow_id", j."flow_version_id", '', (j."entered_at" AT TIME ZONE b."timezone")::date, 'active', 1
    FROM "journeys" j JOIN "brands" b ON b."id" = j."brand_id" WHERE j."status" = 'active'
  UNION ALL
  SELECT j."flow_id", j."flow_version_id", '', (coalesce(j."ended_at", j."entered_at") AT TIME ZONE b."timezone")::date,
         CASE j."status" WHEN 'converted' THEN 'completed' ELSE j."status" END, 1
    FROM "journeys" j JOIN "brands" b ON b."id" = j."brand_id" WHERE j."status" <> 'active'
  UNION ALL
  SELECT j."flow_id", j."flow_version_id", '', (j."converted_at" AT TIME ZONE b."timezone")::date, 'converted', 1
    FROM "journeys" j JOIN "brands" b ON b."id" = j."brand_id" WHERE j."converted_at" IS NOT NULL
  UNION ALL
  SELECT j."flow_id", j."flow_version_id", s."node_id", (s."entered_at" AT TIME ZONE b."timezone")::date, 'entered', 1
    FROM "journey_steps" s JOIN "journeys" j ON j."id" = s."journey_id" JOIN "brands" b ON b."id" = j."brand_id"
  UNION ALL
  SELECT j."flow_id", j."flow_version_id", s."node_id", (coalesce(s."completed_at", s."entered_at") AT TIME ZONE b."timezone")::date,
         CASE WHEN s."status" = 'failed' THEN 'failed'
              WHEN s."status" IN ('completed', 'skipped') THEN 'completed'
              WHEN j."status" = 'active' THEN 'waiting'
              WHEN j."status" IN ('failed', 'completed') THEN j."status"
              ELSE 'exited' END, 1
    FROM "journey_steps" s JOIN "journeys" j ON j."id" = s."journey_id" JOIN "brands" b ON b."id" = j."brand_id"
  UNION ALL
  SELECT j."flow_id", j."flow_version_id", s."node_id", (coalesce(s."completed_at", s."entered_at") AT TIME ZONE b."timezone")::date,
         'port:' || coalesce(s."output" ->> 'port', 'next'), 1
    FROM "journey_steps" s JOIN "journeys" j ON j."id" = s."journey_id" JOIN "brands" b ON b."id" = j."brand_id"
    JOIN "flow_versions" v ON v."id" = j."flow_version_id"
    WHERE (s."status" IN ('completed', 'skipped') OR (s."status" = 'failed' AND s."kind" = 'action.push'))
      AND (s."output" ->> 'port' IS NOT NULL OR jsonb_typeof(v."plan" -> 'steps' -> s."node_id" -> 'next' -> 'next') IS NOT NULL)
  UNION ALL
  SELECT j."flow_id", j."flow_version_id", s."node_id", (m."created_at" AT TIME ZONE b."timezone")::date,
         CASE m."outcome" WHEN 'skipped' THEN 'skip:' || coalesce(m."reason", 'unknown') ELSE 'msg:' || m."outcome" END, 1
    FROM "messages" m JOIN "journey_steps" s ON s."step_key" = m."idempotency_key"
    JOIN "journeys" j ON j."id" = s."journey_id" JOIN "brands" b ON b."id" = j."brand_id"
    WHERE m."outcome" IN ('sent', 'failed', 'skipped')
) t
GROUP BY "flow_id", "flow_version_id", "node_id", "day", "metric";--> statement-breakpoint
INSERT INTO "qr_channel_stats" ("brand_id", "scene", "day", "metric", "n")
SELECT j."brand_id", f."qr_scene", (j."converted_at" AT TIME ZONE b."timezone")::date, 'converted', count(*)
  FROM "journeys" j JOIN "followers" f ON f."id" = j."follower_id" JOIN "brands" b ON b."id" = j."brand_id"
  WHERE j."converted_at" IS NOT NULL AND f."qr_scene" IS NOT NULL
  GROUP BY 1, 2, 3;
