-- CreateEnum
CREATE TYPE "DeliveryChannel" AS ENUM ('WEBHOOK', 'EMAIL');

-- AlterTable
ALTER TABLE "AlertRule" ADD COLUMN     "emailRecipients" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN     "channel" "DeliveryChannel" NOT NULL DEFAULT 'WEBHOOK',
ADD COLUMN     "recipient" TEXT,
ALTER COLUMN "endpointId" DROP NOT NULL;
