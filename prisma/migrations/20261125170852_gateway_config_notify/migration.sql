-- The gateway keeps routes, agents and API keys in memory and reloads them when they change.
-- Every write that matters to it sends NOTIFY helix_config with the organization's id, whatever
-- path made the write (console, worker, seed, SQL by hand). Columns the gateway does not read
-- (health-check timestamps, lastUsedAt, search text) do not notify, so routine bookkeeping does not
-- cause reloads. NOTIFY is transactional: the gateway hears of a change only once it is committed.

CREATE OR REPLACE FUNCTION helix_notify_config() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  org TEXT;
BEGIN
  IF TG_OP = 'DELETE' THEN
    org := OLD."orgId";
  ELSE
    org := NEW."orgId";
  END IF;
  PERFORM pg_notify('helix_config', json_build_object('table', TG_TABLE_NAME, 'op', TG_OP, 'orgId', org)::text);
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Route_notify_config"
AFTER INSERT OR UPDATE OR DELETE ON "Route"
FOR EACH ROW EXECUTE FUNCTION helix_notify_config();

CREATE TRIGGER "RouteTarget_notify_config"
AFTER INSERT OR UPDATE OR DELETE ON "RouteTarget"
FOR EACH ROW EXECUTE FUNCTION helix_notify_config();

CREATE TRIGGER "AgentSkill_notify_config"
AFTER INSERT OR DELETE ON "AgentSkill"
FOR EACH ROW EXECUTE FUNCTION helix_notify_config();

CREATE TRIGGER "Agent_notify_config_insert_delete"
AFTER INSERT OR DELETE ON "Agent"
FOR EACH ROW EXECUTE FUNCTION helix_notify_config();

CREATE TRIGGER "Agent_notify_config_update"
AFTER UPDATE ON "Agent"
FOR EACH ROW
WHEN (
  OLD."status" IS DISTINCT FROM NEW."status"
  OR OLD."name" IS DISTINCT FROM NEW."name"
  OR OLD."protocol" IS DISTINCT FROM NEW."protocol"
  OR OLD."endpointUrl" IS DISTINCT FROM NEW."endpointUrl"
  OR OLD."region" IS DISTINCT FROM NEW."region"
  OR OLD."provider" IS DISTINCT FROM NEW."provider"
  OR OLD."tags" IS DISTINCT FROM NEW."tags"
  OR OLD."credentialKind" IS DISTINCT FROM NEW."credentialKind"
  OR OLD."credentialHeader" IS DISTINCT FROM NEW."credentialHeader"
  OR OLD."credentialCipher" IS DISTINCT FROM NEW."credentialCipher"
  OR OLD."protocolVersion" IS DISTINCT FROM NEW."protocolVersion"
  OR OLD."inputPricePerMTok" IS DISTINCT FROM NEW."inputPricePerMTok"
  OR OLD."outputPricePerMTok" IS DISTINCT FROM NEW."outputPricePerMTok"
)
EXECUTE FUNCTION helix_notify_config();

CREATE TRIGGER "ApiKey_notify_config_insert_delete"
AFTER INSERT OR DELETE ON "ApiKey"
FOR EACH ROW EXECUTE FUNCTION helix_notify_config();

CREATE TRIGGER "ApiKey_notify_config_update"
AFTER UPDATE ON "ApiKey"
FOR EACH ROW
WHEN (
  OLD."revokedAt" IS DISTINCT FROM NEW."revokedAt"
  OR OLD."expiresAt" IS DISTINCT FROM NEW."expiresAt"
  OR OLD."routeIds" IS DISTINCT FROM NEW."routeIds"
  OR OLD."rateLimitPerMinute" IS DISTINCT FROM NEW."rateLimitPerMinute"
  OR OLD."hash" IS DISTINCT FROM NEW."hash"
)
EXECUTE FUNCTION helix_notify_config();
