-- Renames and mergers of roster units: a report filed under old_name counts for new_name (chains follow
-- through). year is the first reporting year under the new name; reports for earlier years were filed under
-- the old one. Imported with the roster and replaced with it.
create table if not exists roster_changes (
    old_name varchar not null,
    new_name varchar not null,
    kind varchar not null,  -- rename (更名) | merge (合并)
    year integer not null,
    source varchar not null,
    source_row varchar,
    imported_at timestamp not null
);
