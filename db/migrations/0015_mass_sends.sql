CREATE TABLE "mass_sends" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"brand_id" uuid NOT NULL,
	"batch" text NOT NULL,
	"chunk" integer NOT NULL,
	"client_msg_id" text NOT NULL,
	"msg_type" text NOT NULL,
	"content" jsonb NOT NULL,
	"recipients" integer NOT NULL,
	"status" text DEFAULT 'sending' NOT NULL,
	"errcode" integer,
	"reason" text,
	"msg_id" text,
	"msg_data_id" text,
	"job_status" text,
	"total_count" integer,
	"filter_count" integer,
	"sent_count" integer,
	"error_count" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "mass_batch" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "mass_send_id" uuid;--> statement-breakpoint
ALTER TABLE "mass_sends" ADD CONSTRAINT "mass_sends_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "mass_sends_batch_chunk_uq" ON "mass_sends" USING btree ("brand_id","batch","chunk");--> statement-breakpoint
CREATE UNIQUE INDEX "mass_sends_client_msg_id_uq" ON "mass_sends" USING btree ("brand_id","client_msg_id");--> statement-breakpoint
CREATE INDEX "mass_sends_msg_id_idx" ON "mass_sends" USING btree ("brand_id","msg_id");--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_mass_send_id_mass_sends_id_fk" FOREIGN KEY ("mass_send_id") REFERENCES "public"."mass_sends"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "messages_mass_deferred_idx" ON "messages" USING btree ("brand_id","mass_batch") WHERE "messages"."outcome" = 'deferred';--> statement-breakpoint
CREATE INDEX "messages_mass_send_idx" ON "messages" USING btree ("mass_send_id");