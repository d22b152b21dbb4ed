-- Which version of the sql/ files last built this database's tables, views and facts: a fingerprint of their
-- text. The dashboard compares it with its own files and has the loader rebuild an older database on start.
create table if not exists schema_info (
    fingerprint varchar not null,
    applied_at timestamp not null
);
