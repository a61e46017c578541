ALTER TABLE "orders" ADD COLUMN "import_key" text;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_import_key_unique" UNIQUE("import_key");