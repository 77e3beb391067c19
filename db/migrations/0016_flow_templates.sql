CREATE TABLE "flow_template_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"template_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"document" jsonb NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"content_hash" text NOT NULL,
	"created_by" uuid,
	"created_by_label" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "flow_templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "flows" ADD COLUMN "template_version_id" uuid;--> statement-breakpoint
ALTER TABLE "flows" ADD COLUMN "template_bindings" jsonb;--> statement-breakpoint
ALTER TABLE "flow_template_versions" ADD CONSTRAINT "flow_template_versions_template_id_flow_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."flow_templates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flow_template_versions" ADD CONSTRAINT "flow_template_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flow_templates" ADD CONSTRAINT "flow_templates_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "flow_template_versions_uq" ON "flow_template_versions" USING btree ("template_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "flow_templates_org_name_uq" ON "flow_templates" USING btree ("organization_id","name");--> statement-breakpoint
ALTER TABLE "flows" ADD CONSTRAINT "flows_template_version_id_flow_template_versions_id_fk" FOREIGN KEY ("template_version_id") REFERENCES "public"."flow_template_versions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "flows_template_version_idx" ON "flows" USING btree ("template_version_id");