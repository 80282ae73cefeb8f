-- What a merchant sells by default (a protocol Category), if it registered one: an intent that names
-- no category takes it, so one shop's checkout has one category whatever its shape. NULL: none given.
ALTER TABLE merchants ADD COLUMN category text CHECK (category ~ '^[a-z_]{1,40}$');
