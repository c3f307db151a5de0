-- A webhook's payload is kept as the JSON text Shopify sent (json), not re-encoded as jsonb: nothing
-- queries inside it, and building jsonb was half of the database's work per acknowledgement
-- (decision 014). Rewrites the table once; existing payloads keep their content.
ALTER TABLE "WebhookEvent" ALTER COLUMN "payload" SET DATA TYPE JSON USING "payload"::json;
