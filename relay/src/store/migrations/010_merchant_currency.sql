-- The currency a merchant prices in by default (ISO 4217, upper case), if it registered one:
-- wallets read totals whose symbol several currencies share (¥, $, kr) in it. NULL: none given.
ALTER TABLE merchants ADD COLUMN currency text CHECK (currency ~ '^[A-Z]{3}$');
