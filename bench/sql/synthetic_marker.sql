-- How a synthetic database was made: the size asked for, the seed and the fingerprint of what built it.
select requested_reports, seed, schema_fingerprint
from synthetic_dataset
