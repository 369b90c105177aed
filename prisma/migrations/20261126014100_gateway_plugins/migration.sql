-- Gateway plugin installs reload the gateway's snapshot (see helix_notify_config), as routes and
-- policies do.
CREATE TRIGGER "Install_notify_config"
AFTER INSERT OR UPDATE OR DELETE ON "Install"
FOR EACH ROW EXECUTE FUNCTION helix_notify_config();

-- The gateway plugins called for a request (per install and hook: calls, time, results), written by the gateway.
ALTER TABLE telemetry.gateway_events ADD COLUMN plugin_calls JSONB;
