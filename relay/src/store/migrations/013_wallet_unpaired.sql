-- A wallet the user unpaired: its key signs nothing from then on, its agents and devices are
-- revoked, and its records stay for the ledger and the audit trail.
ALTER TABLE wallets ADD COLUMN unpaired_at timestamptz;
