-- Webhooks, and the outbox of their executions.
--
-- A webhook is an HTTP request template sent when events happen for a consumer/provider pair
-- (either side may be any pacticipant: NULL). `events` is a JSON array of event names and
-- `request` the JSON request template (method, url, headers, body, username, password).
CREATE TABLE webhooks (
  id {{ID}},
  uuid TEXT NOT NULL UNIQUE,
  description TEXT,
  consumer_id BIGINT REFERENCES pacticipants (id) ON DELETE CASCADE,
  provider_id BIGINT REFERENCES pacticipants (id) ON DELETE CASCADE,
  enabled BIGINT NOT NULL,
  events TEXT NOT NULL,
  request TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX webhooks_consumer ON webhooks (consumer_id);
CREATE INDEX webhooks_provider ON webhooks (provider_id);

-- The outbox: one row per webhook an event triggered, written in the same transaction as the
-- event (a publish, a verification), so that a committed event is never without its webhooks
-- and a rolled-back one never has any. `variables` holds the `${pactbroker.*}` values as they
-- were when the event happened (JSON object). A row is due while `next_attempt_at` is set and
-- past; a dispatcher leases it (`claimed_until`) while it sends the request, so that replicas
-- and restarts neither lose nor double-send it (a lease that expires, after a crash, makes
-- the row due again).
CREATE TABLE triggered_webhooks (
  id {{ID}},
  uuid TEXT NOT NULL UNIQUE,
  webhook_id BIGINT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  event_name TEXT NOT NULL,
  consumer_id BIGINT NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
  provider_id BIGINT NOT NULL REFERENCES pacticipants (id) ON DELETE CASCADE,
  pact_publication_id BIGINT REFERENCES pact_publications (id) ON DELETE SET NULL,
  verification_id BIGINT REFERENCES verifications (id) ON DELETE SET NULL,
  variables TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts_made BIGINT NOT NULL,
  next_attempt_at TEXT,
  claimed_until TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX triggered_webhooks_due ON triggered_webhooks (next_attempt_at);
CREATE INDEX triggered_webhooks_webhook ON triggered_webhooks (webhook_id);
CREATE INDEX triggered_webhooks_publication ON triggered_webhooks (pact_publication_id);
CREATE INDEX triggered_webhooks_verification ON triggered_webhooks (verification_id);

-- One row per attempt, with its log.
CREATE TABLE webhook_executions (
  id {{ID}},
  triggered_webhook_id BIGINT NOT NULL REFERENCES triggered_webhooks (id) ON DELETE CASCADE,
  success BIGINT NOT NULL,
  logs TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX webhook_executions_triggered ON webhook_executions (triggered_webhook_id);
