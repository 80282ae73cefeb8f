-- Facts every relay on this database must agree on, e.g. a fingerprint of the vault key: a relay
-- started with another key could neither charge nor show the tokens the others issued.
CREATE TABLE relay_facts (
  name text PRIMARY KEY,
  value text NOT NULL
);
