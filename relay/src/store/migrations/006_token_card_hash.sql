-- A token's card number is no longer kept in clear: it is derived from the token id with the
-- vault key (like the secret and the CVC), a keyed hash finds the token on a card charge, and the
-- last four digits are kept for display. Numbers of older tokens are hashed and forgotten at start.
ALTER TABLE tokens ADD COLUMN card_hash text;
ALTER TABLE tokens ADD COLUMN card_last4 text;
CREATE UNIQUE INDEX tokens_card_hash ON tokens (card_hash);
-- Finds the tokens that still carry a number in clear (issued before this migration) without a scan.
CREATE INDEX tokens_card_number_left ON tokens (id) WHERE card_number IS NOT NULL;
