-- Retention: the hourly purge of personal data (webhook payloads, call transcripts, stored
-- custom-function answers) finds rows by age without scanning whole tables.
CREATE INDEX webhook_inbox_received ON webhook_inbox(received_at);
CREATE INDEX calls_updated ON calls(updated_at);
CREATE INDEX function_results_created ON function_results(created_at);
