-- A merchant's claimed origins (origins) count only once proven: the relay fetched the
-- merchant's signed proof from each one. Lookups by origin and origin_mismatch use these.
ALTER TABLE merchants ADD COLUMN proven_origins jsonb NOT NULL DEFAULT '[]'::jsonb;
ALTER TABLE merchants ADD COLUMN origins_checked_at timestamptz;
CREATE INDEX merchants_proven_origins ON merchants USING gin (proven_origins);
-- How the name looks (Unicode confusables folded, case and spaces ignored), to tell a
-- wallet that a name imitates another merchant's. Filled by the relay (NULL until then).
ALTER TABLE merchants ADD COLUMN name_skeleton text;
CREATE INDEX merchants_name_skeleton ON merchants (name_skeleton);
