-- The imported roster at a glance: its file, when it was imported, and how many units, renames and mergers
-- it holds. One row with zero units when none is imported.
select
    (select count(*) from roster_units) as units,
    (select count(*) from roster_changes where kind = 'rename') as renames,
    (select count(*) from roster_changes where kind = 'merge') as mergers,
    (select max(source) from roster_units) as source,
    (select max(imported_at) from roster_units) as imported_at
