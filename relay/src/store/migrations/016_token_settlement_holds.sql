-- x402: a merchant's /verify holds the token for its settle (NULL: not held). While held, another
-- verify of the same token is refused and its agent cannot withdraw it, so one payment runs one
-- paid request, however many copies of it race.
ALTER TABLE tokens ADD COLUMN settling_until timestamptz;
