CREATE TABLE "test_followers" (
	"brand_id" uuid NOT NULL,
	"openid" text NOT NULL,
	"label" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "test_followers_brand_id_openid_pk" PRIMARY KEY("brand_id","openid")
);
--> statement-breakpoint
CREATE TABLE "test_sends" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"brand_id" uuid NOT NULL,
	"flow_id" uuid,
	"openid" text NOT NULL,
	"node_id" text,
	"channel" text NOT NULL,
	"msg_type" text NOT NULL,
	"content" jsonb NOT NULL,
	"outcome" text NOT NULL,
	"errcode" integer,
	"reason" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "test_followers" ADD CONSTRAINT "test_followers_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "test_followers" ADD CONSTRAINT "test_followers_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "test_sends" ADD CONSTRAINT "test_sends_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "test_sends" ADD CONSTRAINT "test_sends_flow_id_flows_id_fk" FOREIGN KEY ("flow_id") REFERENCES "public"."flows"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "test_sends" ADD CONSTRAINT "test_sends_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "test_sends_brand_idx" ON "test_sends" USING btree ("brand_id","created_at");