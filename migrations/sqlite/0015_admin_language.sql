-- The admin UI's language, remembered per user (German by default).
ALTER TABLE admin_users ADD COLUMN language TEXT NOT NULL DEFAULT 'de' CHECK (language IN ('de', 'en'));
