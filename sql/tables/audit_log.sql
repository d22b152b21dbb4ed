-- Every write to the database, one row each, append-only: who (the signed-in account, or the local user of the
-- command line, with the role), when, what (action and target) and the state before and after as JSON. Written
-- in the same transaction as the write it records, so a write never lands without its row; kept across ingests
-- and upgrades like the review tables.
create table if not exists audit_log (
    audit_id bigint primary key,
    written_at timestamp not null,
    account varchar not null,
    role varchar not null,
    action varchar not null,
    target varchar not null,
    before json,
    after json
);
