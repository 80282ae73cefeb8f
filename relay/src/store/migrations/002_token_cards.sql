-- The card form of a token: its number (unique, so a card charge finds exactly one
-- token) and how many wrong CVCs it has seen. The CVC itself is derived with the
-- vault key and never stored, like the token's secret.
ALTER TABLE tokens ADD COLUMN card_number text;
ALTER TABLE tokens ADD COLUMN cvc_failures int NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX tokens_card_number ON tokens (card_number);
