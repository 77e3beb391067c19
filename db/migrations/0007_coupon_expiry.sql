ALTER TABLE "coupon_codes" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "coupon_pools" ADD COLUMN "expires_after_days" integer;--> statement-breakpoint
ALTER TABLE "coupon_pools" ADD CONSTRAINT "coupon_pools_one_expiry" CHECK ("coupon_pools"."expires_at" is null or "coupon_pools"."expires_after_days" is null);--> statement-breakpoint
ALTER TABLE "coupon_pools" ADD CONSTRAINT "coupon_pools_expiry_days" CHECK ("coupon_pools"."expires_after_days" > 0);