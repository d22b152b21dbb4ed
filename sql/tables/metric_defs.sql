-- The canonical metrics of the data dictionary, refreshed from the code on every ingest so that
-- views can label figures and know which values are counts, changes or amounts.
create table if not exists metric_defs (
    key varchar primary key,
    label varchar not null,
    section varchar not null,
    kind varchar not null,  -- count | change | amount
    category varchar  -- outcome category (granted, denied ...) or null
);
