ALTER TABLE "customer_identities" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('simple'::regconfig, case
        when "kind" = 'email' then "value" || ' ' || replace("value", '@', ' ')
        when "kind" = 'phone' then "value" || ' ' || regexp_replace("value", '[^0-9]', '', 'g') || ' '
          || right(regexp_replace("value", '[^0-9]', '', 'g'), 9)
        else "value" end), 'A')) STORED;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('simple'::regconfig, coalesce("name", '')), 'A')) STORED;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english'::regconfig, regexp_replace(left("text", 100000), '([[:alpha:]])-([[:digit:]])', '\1 \2', 'g')), 'B')) STORED;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english'::regconfig, regexp_replace(left("subject", 100000), '([[:alpha:]])-([[:digit:]])', '\1 \2', 'g')), 'A')) STORED;--> statement-breakpoint
CREATE INDEX "customer_identities_search_idx" ON "customer_identities" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "customers_search_idx" ON "customers" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "messages_search_idx" ON "messages" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "tickets_search_idx" ON "tickets" USING gin ("search_vector");