-- The relay's whole state. Amounts are int8 minor units with an ISO 4217 currency.

CREATE TABLE wallets (
  id text PRIMARY KEY,
  name text NOT NULL,
  public_jwk jsonb NOT NULL,
  key_thumbprint text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Agents and devices: whatever pays on a wallet's behalf.
CREATE TABLE actors (
  id text PRIMARY KEY,
  wallet_id text NOT NULL REFERENCES wallets(id),
  kind text NOT NULL CHECK (kind IN ('agent', 'device')),
  name text NOT NULL,
  profile text,
  public_jwk jsonb NOT NULL,
  key_thumbprint text NOT NULL UNIQUE,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'revoked')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX actors_wallet ON actors (wallet_id);

CREATE TABLE merchants (
  id text PRIMARY KEY,
  name text NOT NULL,
  public_jwk jsonb NOT NULL,
  key_thumbprint text NOT NULL UNIQUE,
  origins jsonb NOT NULL DEFAULT '[]',
  mcc text,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Signed mandates; the current one per actor has superseded_at NULL.
CREATE TABLE mandates (
  id text PRIMARY KEY,
  actor_id text NOT NULL REFERENCES actors(id),
  wallet_id text NOT NULL REFERENCES wallets(id),
  kind text NOT NULL CHECK (kind IN ('confirm_each', 'rules', 'quota')),
  document jsonb NOT NULL,
  jws text NOT NULL,
  issued_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  superseded_at timestamptz
);
CREATE UNIQUE INDEX mandates_current ON mandates (actor_id) WHERE superseded_at IS NULL;

-- What an agent has spent of its quota in one period, kept per actor so that
-- editing the mandate mid-period does not reset the spending. The CHECK is
-- the last line against overspending: nothing can commit spent > budget.
CREATE TABLE quota_usage (
  actor_id text NOT NULL REFERENCES actors(id),
  period_start timestamptz NOT NULL,
  currency text NOT NULL,
  budget_minor int8 NOT NULL,
  spent_minor int8 NOT NULL DEFAULT 0,
  PRIMARY KEY (actor_id, period_start, currency),
  CHECK (spent_minor >= 0 AND spent_minor <= budget_minor)
);

CREATE TABLE intents (
  id text PRIMARY KEY,
  wallet_id text NOT NULL REFERENCES wallets(id),
  actor_id text NOT NULL REFERENCES actors(id),
  merchant_id text NOT NULL REFERENCES merchants(id),
  amount_minor int8 NOT NULL CHECK (amount_minor >= 0),
  currency text NOT NULL,
  line_items jsonb NOT NULL,
  category text NOT NULL,
  channel text NOT NULL,
  description text,
  task_id text,
  context jsonb NOT NULL DEFAULT '{}',
  evidence jsonb,
  status text NOT NULL CHECK (status IN ('approved', 'pending_confirmation', 'declined', 'denied', 'expired')),
  decision jsonb NOT NULL,
  mandate_id text,
  quota_period_start timestamptz,
  confirm_by timestamptz,
  approval_jws text,
  answered_at timestamptz,
  client_created_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX intents_actor_time ON intents (actor_id, created_at);
CREATE INDEX intents_wallet_time ON intents (wallet_id, created_at);
CREATE INDEX intents_wallet_merchant ON intents (wallet_id, merchant_id) WHERE status = 'approved';
CREATE INDEX intents_pending ON intents (confirm_by) WHERE status = 'pending_confirmation';

-- The vault: only a keyed hash of each token's secret is kept.
CREATE TABLE tokens (
  id text PRIMARY KEY,
  intent_id text NOT NULL UNIQUE REFERENCES intents(id),
  wallet_id text NOT NULL REFERENCES wallets(id),
  secret_hash text NOT NULL UNIQUE,
  merchant_id text NOT NULL REFERENCES merchants(id),
  currency text NOT NULL,
  max_minor int8 NOT NULL CHECK (max_minor >= 0),
  expires_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'charged', 'expired', 'revoked')),
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tokens_active_expiry ON tokens (expires_at) WHERE status = 'active';

-- UNIQUE (token_id): a token charges at most once, whatever the application does.
CREATE TABLE charges (
  id text PRIMARY KEY,
  token_id text NOT NULL UNIQUE REFERENCES tokens(id),
  intent_id text NOT NULL REFERENCES intents(id),
  merchant_id text NOT NULL REFERENCES merchants(id),
  wallet_id text NOT NULL REFERENCES wallets(id),
  amount_minor int8 NOT NULL CHECK (amount_minor > 0),
  currency text NOT NULL,
  refunded_minor int8 NOT NULL DEFAULT 0,
  reference text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (refunded_minor >= 0 AND refunded_minor <= amount_minor)
);
CREATE INDEX charges_merchant ON charges (merchant_id, created_at);

CREATE TABLE refunds (
  id text PRIMARY KEY,
  charge_id text NOT NULL REFERENCES charges(id),
  amount_minor int8 NOT NULL CHECK (amount_minor > 0),
  currency text NOT NULL,
  reason text,
  initiated_by text NOT NULL CHECK (initiated_by IN ('merchant', 'wallet')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refunds_charge ON refunds (charge_id);

-- Double-entry and append-only: each journal's entries sum to zero per currency.
CREATE TABLE ledger_entries (
  id bigserial PRIMARY KEY,
  journal_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('hold', 'charge', 'release', 'refund')),
  account text NOT NULL,
  amount_minor int8 NOT NULL,
  currency text NOT NULL,
  intent_id text,
  token_id text,
  charge_id text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_account ON ledger_entries (account);
CREATE INDEX ledger_journal ON ledger_entries (journal_id);
CREATE INDEX ledger_token ON ledger_entries (token_id);

CREATE FUNCTION ledger_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger entries are append-only: % is not allowed', TG_OP;
END;
$$;
CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();

-- Who decided what, and why.
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  wallet_id text,
  principal text NOT NULL,
  action text NOT NULL,
  subject text,
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_subject ON audit_log (subject);

CREATE TABLE progress_events (
  id bigserial PRIMARY KEY,
  wallet_id text NOT NULL,
  actor_id text NOT NULL,
  task_id text NOT NULL,
  stage text NOT NULL,
  message text,
  intent_id text,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX progress_task ON progress_events (wallet_id, task_id, id);

-- Nonces seen inside the signature window; a second use is a replay.
CREATE TABLE nonces (
  signer text NOT NULL,
  nonce text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (signer, nonce)
);
CREATE INDEX nonces_expiry ON nonces (expires_at);

-- First answer to each idempotency key, replayed for a repeat of the same request.
CREATE TABLE idempotency_keys (
  principal text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  status int NOT NULL,
  body jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (principal, key)
);
