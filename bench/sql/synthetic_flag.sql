-- Whether a database says it is synthetic: one row per mark (there is one) if bench/synthetic.py made it.
select synthetic
from synthetic_dataset
