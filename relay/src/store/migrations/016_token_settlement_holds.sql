-- x402: a merchant's /verify holds the token for its settle (NULL: not held). While held, another
-- verify of the same token is refused and its agent cannot withdraw it, so one payment runs one
-- paid request, however many copies of it race.
ALTER TABLE tokens ADD COLUMN settling_until timestamptz;
-- How many holds a token took: a merchant re-verifying to keep one held for ever is refused after a few.
ALTER TABLE tokens ADD COLUMN settle_holds int NOT NULL DEFAULT 0;
