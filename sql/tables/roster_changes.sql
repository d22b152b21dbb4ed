-- Renames and mergers of roster units: a report filed under old_name counts for new_name (chains follow
-- through). year is the first reporting year under the new name; reports for earlier years were filed under
-- the old one. Imported with the roster and replaced with it. An alias (别名) is the same unit written another way
-- (淄博市张店区人民政府 for 张店区人民政府): confirmed in the app (source 确认匹配, source_row null, year the first
-- year reports were filed under it), kept when a new roster still lists its unit, and its reports are the unit's
-- own (stg_reports_current).
create table if not exists roster_changes (
    old_name varchar not null,
    new_name varchar not null,
    kind varchar not null,  -- rename (更名) | merge (合并) | alias (别名)
    year integer not null,
    source varchar not null,
    source_row varchar,
    imported_at timestamp not null
);
