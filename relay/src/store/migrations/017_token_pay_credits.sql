-- Token Pay: a wallet's prepaid credits at a vendor (a merchant selling model usage), and the
-- usage it meters against them. The balance is the ledger's (account credits:<wallet>:<vendor>);
-- this row caches it beside what is reserved, so a reserve is one conditional UPDATE, and the
-- CHECKs are the last word: no balance below zero, nothing reserved beyond it.
CREATE TABLE credit_accounts (
  id text PRIMARY KEY,
  wallet_id text NOT NULL REFERENCES wallets(id),
  vendor_id text NOT NULL REFERENCES merchants(id),
  currency text NOT NULL,
  balance_minor int8 NOT NULL DEFAULT 0 CHECK (balance_minor >= 0),
  reserved_minor int8 NOT NULL DEFAULT 0 CHECK (reserved_minor >= 0 AND reserved_minor <= balance_minor),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (wallet_id, vendor_id, currency)
);

-- One metered request: reserved, then settled (at most the reserve) or released, or lapsed.
-- The vendor's own usage id makes it idempotent: the same id twice is one reserve.
CREATE TABLE credit_usage (
  vendor_id text NOT NULL REFERENCES merchants(id),
  usage_id text NOT NULL,
  account_id text NOT NULL REFERENCES credit_accounts(id),
  reserved_minor int8 NOT NULL CHECK (reserved_minor > 0),
  settled_minor int8 CHECK (settled_minor >= 0 AND settled_minor <= reserved_minor),
  status text NOT NULL CHECK (status IN ('reserved', 'settled', 'released', 'lapsed')),
  model text,
  units int8 CHECK (units >= 0),
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz,
  PRIMARY KEY (vendor_id, usage_id)
);
CREATE INDEX credit_usage_open ON credit_usage (expires_at) WHERE status = 'reserved';
CREATE INDEX credit_usage_account ON credit_usage (account_id, created_at);

ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
  CHECK (kind IN ('hold', 'charge', 'release', 'refund', 'credit', 'usage'));
