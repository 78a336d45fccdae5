-- API token scopes (read, book, manage; comma-separated) and an optional expiry (UTC ms).
-- Tokens made before scopes existed keep everything they could do.
ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT 'read,book,manage';
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
