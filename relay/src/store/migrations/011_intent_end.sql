-- Why a payment ended before money moved, when it was not the user's answer or the clock:
-- the checkout's tab closed, the agent stopped. A plain sentence the wallet shows. NULL: it did not end that way.
ALTER TABLE intents ADD COLUMN ended_reason text CHECK (char_length(ended_reason) <= 300);
