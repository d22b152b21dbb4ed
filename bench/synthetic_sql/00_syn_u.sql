-- A uniform pseudo-random number in [0, 1) from a key and a salt. The same key and salt always give the
-- same number, so a database built twice with the same seed is the same whatever the number of threads.
-- hash(k, s) alone is not enough: it combines the two hashes so that neighbouring salts give strongly
-- correlated numbers; hashing the combined hash again mixes them apart.
create or replace temp macro syn_u(k, s) as cast(hash(hash(k, s)) >> 11 as double) / 9007199254740992.0
