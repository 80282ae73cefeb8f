-- An agent (or device) asking its user to refund one of its charged payments, with its reason:
-- shown on the wallet's record beside Refund. One request a payment; NULL: never asked.
ALTER TABLE intents ADD COLUMN refund_asked_at timestamptz;
ALTER TABLE intents ADD COLUMN refund_reason text;
