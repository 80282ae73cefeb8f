-- What `relay ledger check` needs to see promises kept over time, stamped by the database's own clock
-- while the deciding transaction holds its locks:
-- when an actor was revoked (after its tokens were ended), when each charge and approval was recorded,
-- and what a quota approval left spent of the budget that approved it.
ALTER TABLE actors ADD COLUMN revoked_at timestamptz;
ALTER TABLE charges ADD COLUMN recorded_at timestamptz NOT NULL DEFAULT clock_timestamp();
ALTER TABLE intents ADD COLUMN approved_at timestamptz;
ALTER TABLE intents ADD COLUMN quota_spent_after int8;
