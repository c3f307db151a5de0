-- Tracking details are imported recent orders first: the latest of placed and shipped.
ALTER TABLE "ShopifyOrder" ADD COLUMN "activityAt" TIMESTAMP(3);

UPDATE "ShopifyOrder" o SET "activityAt" = GREATEST(
  o."shopifyCreatedAt",
  (SELECT max((f->>'createdAt')::timestamptz AT TIME ZONE 'UTC')
     FROM jsonb_array_elements(CASE WHEN jsonb_typeof(o.snapshot->'fulfillments') = 'array'
                                    THEN o.snapshot->'fulfillments' ELSE '[]'::jsonb END) f
    WHERE f->>'createdAt' ~ '^\d{4}-\d{2}-\d{2}T')
);

ALTER TABLE "ShopifyOrder" ALTER COLUMN "activityAt" SET NOT NULL;

-- DropIndex
DROP INDEX "ShopifyOrder_shopId_detailsPending_idx";

-- CreateIndex
CREATE INDEX "ShopifyOrder_shopId_detailsPending_activityAt_idx" ON "ShopifyOrder"("shopId", "detailsPending", "activityAt");
