CREATE TABLE "callback_nonces" (
	"brand_id" uuid NOT NULL,
	"nonce" text NOT NULL,
	"query_timestamp" bigint NOT NULL,
	"fingerprint" text NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "callback_nonces_brand_id_nonce_query_timestamp_pk" PRIMARY KEY("brand_id","nonce","query_timestamp")
);
--> statement-breakpoint
ALTER TABLE "callback_nonces" ADD CONSTRAINT "callback_nonces_brand_id_brands_id_fk" FOREIGN KEY ("brand_id") REFERENCES "public"."brands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "callback_nonces_timestamp_idx" ON "callback_nonces" USING btree ("query_timestamp");