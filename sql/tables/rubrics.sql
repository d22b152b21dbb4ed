-- Scoring rubrics a 管理员 imported into the database (TOML text, checked before it is stored), one row per rubric
-- name, the latest import winning; every import and restore keeps the text before and after in the audit log, from
-- which an earlier rubric can be put back. The rubric files in rubrics/ are read beside these.
create table if not exists rubrics (
    name varchar primary key,
    file_name varchar not null,
    toml varchar not null,
    stored_by varchar not null,
    stored_at timestamp not null
);
