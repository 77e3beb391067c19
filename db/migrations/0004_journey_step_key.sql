ALTER TABLE "journey_steps" ADD COLUMN "step_key" text NOT NULL;--> statement-breakpoint
ALTER TABLE "journey_steps" ADD CONSTRAINT "journey_steps_step_key_unique" UNIQUE("step_key");