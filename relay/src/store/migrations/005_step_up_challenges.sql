-- Step-up challenges the relay issued: random, for one wallet, valid until
-- expires_at and accepted once (used_at is set in the same transaction as the
-- change the passkey approved). A recorded assertion cannot be played again.
CREATE TABLE step_up_challenges (
  id text PRIMARY KEY,
  wallet_id text NOT NULL REFERENCES wallets(id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX step_up_challenges_wallet ON step_up_challenges (wallet_id, expires_at);
