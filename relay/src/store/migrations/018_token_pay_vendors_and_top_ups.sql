-- Token Pay, continued: what a vendor charges per model, which charges bought credits (so a
-- refund of credits goes back through them), and top-ups the user lets an agent make.

-- A vendor's price list: per model, a unit (e.g. "tokens") and a price per million units. The
-- wallet and agents read it; a settle that names units of a priced model may leave the amount out.
CREATE TABLE vendor_prices (
  vendor_id text NOT NULL REFERENCES merchants(id),
  model text NOT NULL,
  unit text NOT NULL,
  currency text NOT NULL,
  per_million_minor int8 NOT NULL CHECK (per_million_minor >= 0),
  PRIMARY KEY (vendor_id, model)
);

-- Each charge that bought credits, and for which account: a credit refund is paid back through
-- these, newest first, and a merchant refund of one of them takes the credits back first.
CREATE TABLE credit_purchases (
  charge_id text PRIMARY KEY REFERENCES charges(id),
  account_id text NOT NULL REFERENCES credit_accounts(id),
  top_up_id text
);
CREATE INDEX credit_purchases_account ON credit_purchases (account_id);

-- The user lets one agent keep an account above a threshold by buying `amount` when a settle
-- takes the balance below it. On the account's own row, so the settle that crosses reads the
-- setting under the same row lock a change of it takes: never a setting already removed.
ALTER TABLE credit_accounts
  ADD COLUMN top_up_actor_id text REFERENCES actors(id),
  ADD COLUMN top_up_threshold_minor int8 CHECK (top_up_threshold_minor > 0),
  ADD COLUMN top_up_amount_minor int8 CHECK (top_up_amount_minor > 0),
  ADD CONSTRAINT credit_accounts_top_up_whole CHECK (
    (top_up_actor_id IS NULL) = (top_up_threshold_minor IS NULL) AND (top_up_actor_id IS NULL) = (top_up_amount_minor IS NULL));

-- A top-up, automatic (a crossing of the threshold) or asked by an agent: an intent decided by the
-- agent's mandate, then the charge that buys the credits. At most one is open per account, so one
-- crossing buys once however many settles race it.
CREATE TABLE credit_top_ups (
  id text PRIMARY KEY,
  account_id text NOT NULL REFERENCES credit_accounts(id),
  actor_id text NOT NULL REFERENCES actors(id),
  amount_minor int8 NOT NULL CHECK (amount_minor > 0),
  automatic boolean NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'held', 'paid', 'failed')),
  intent_id text REFERENCES intents(id),
  charge_id text REFERENCES charges(id),
  reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz
);
CREATE UNIQUE INDEX credit_top_ups_open ON credit_top_ups (account_id) WHERE status IN ('pending', 'held');
CREATE INDEX credit_top_ups_intent ON credit_top_ups (intent_id);

-- Credits given back with a refund of the charge that bought them.
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check
  CHECK (kind IN ('hold', 'charge', 'release', 'refund', 'credit', 'usage', 'credit_refund'));

-- An x402 `upto` payment the merchant settled at 0: its token ended without a charge (revoked, its
-- hold released), and a second settle of it is "already used", not "revoked".
ALTER TABLE tokens ADD COLUMN settled_at_zero boolean NOT NULL DEFAULT false;
