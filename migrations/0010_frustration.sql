ALTER TABLE "messages" ADD COLUMN "frustration_score" double precision;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "frustration_cues" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "frustration_score" double precision;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "frustration_cues" text[] DEFAULT '{}'::text[] NOT NULL;