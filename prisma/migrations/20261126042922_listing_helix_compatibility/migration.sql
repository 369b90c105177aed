-- Which HelixAgent versions a listing's latest version works with (its manifest's helixVersion):
-- as written, and as a multirange of encoded versions that search filters on. NULL = any.
-- AlterTable
ALTER TABLE "Listing" ADD COLUMN     "helixRange" TEXT,
ADD COLUMN     "helixVersions" int8multirange;
