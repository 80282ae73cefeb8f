-- Single-use, short-lived codes a wallet makes so that an agent running elsewhere (npm run demo:agent,
-- a script) joins that wallet with a key of its own. Only the code's SHA-256 is kept; `used_at` and
-- `actor_id` say which agent the code brought in.
CREATE TABLE agent_invites (
  code_hash text PRIMARY KEY,
  wallet_id text NOT NULL REFERENCES wallets(id),
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  used_at timestamptz,
  actor_id text REFERENCES actors(id)
);
CREATE INDEX agent_invites_wallet ON agent_invites (wallet_id, created_at);
