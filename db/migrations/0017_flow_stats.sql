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
CREATE INDEX "flow_stats_flow_day_idx" ON "flow_stats" USING btree ("flow_id","day");