-- Step-up: a wallet's passkey (public parts only) and, per currency, the amount from
-- which approving a held intent also needs a user-verified assertion by it.
ALTER TABLE wallets ADD COLUMN passkey jsonb;
ALTER TABLE wallets ADD COLUMN step_up_thresholds jsonb NOT NULL DEFAULT '[]';

-- Assertions already accepted (a hash of each), so a recorded one cannot be played
-- again, e.g. to restore thresholds the user has since lowered.
CREATE TABLE used_assertions (
  hash text PRIMARY KEY,
  wallet_id text NOT NULL REFERENCES wallets(id),
  used_at timestamptz NOT NULL DEFAULT now()
);
