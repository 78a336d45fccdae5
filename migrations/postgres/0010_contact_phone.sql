-- A phone number the caller gave to be reached at, kept on the appointment only: the
-- appointment itself belongs to the calling number's customer.
ALTER TABLE appointments ADD COLUMN contact_phone TEXT;
