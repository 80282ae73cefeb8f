-- Wallets look merchants up by the origin their checkout runs at.
CREATE INDEX merchants_origins ON merchants USING gin (origins);
