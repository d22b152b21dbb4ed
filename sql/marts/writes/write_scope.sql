-- What an incremental write of the reports $report_ids recomputes (loaders/store.py, refresh_facts), as rows of
-- (role, name):
--   role 'unit':    the units whose coverage rows (fct_unit_reports, fct_coverage_units, fct_coverage_names)
--                   can change: the units those reports count for, now and as stored;
--   role 'agency':  the agencies whose per-report facts (fct_values, fct_reports, fct_findings) can change;
--   role 'context': every name whose reports those facts and coverage rows read, the 'agency' names included:
--                   the write computes them over these reports alone.
-- The checks and facts read across reports in four ways, and each is followed here:
--   - a unit's names: R5 and R6 pair a unit's years across renames and mergers, coverage picks one report per
--     unit and year, and a roster alias files a unit's reports under another name;
--   - R7: a government's findings read its office's reports (the office under it on the roster, or its name
--     with 办公室), so a changed office changes the government above it;
--   - fct_reports.ancestors: every unit above a report's unit, so a unit whose parent changed changes every
--     unit below it, and each unit needs the rows of every unit above it to find its ancestors.
with recursive agencies as materialized (  -- every agency as the stored reports now make it
    select agency, unit, parent, agency_type from stg_agencies
),

changed as (
    -- the agency each report has now (as filed, and the unit a roster alias files it under), and the one its
    -- stored facts name (a report identified, renamed or dropped)
    select agency from reports where list_contains($report_ids, report_id) and agency is not null
    union
    select a.new_name
    from reports as r
    inner join roster_changes as a on a.kind = 'alias' and r.agency = a.old_name
    where list_contains($report_ids, r.report_id)
    union
    select agency from fct_reports where list_contains($report_ids, report_id) and agency is not null
    union
    select agency from fct_findings where list_contains($report_ids, report_id) and agency is not null
),

names as materialized (  -- the names of each unit: its agencies' and those the roster gives it
    select unit, agency as name from agencies
    union
    select unit, name from fct_coverage_names
),

changed_units as (
    select unit from names where name in (select agency from changed)
    union
    select agency from changed  -- without a roster every agency is a unit of its own
),

edges as (
    -- unit -> parent: now (from the reports and the roster) and as the stored facts have it
    select unit, parent, true as now from agencies where parent is not null and parent <> unit
    union
    select unit, parent, true from roster_units where parent is not null and parent <> unit
    union
    select unit, parent, false from fct_reports where parent is not null and parent <> unit
    union
    select unit, parent, false from roster_units where parent is not null and parent <> unit
),

changed_edges as (
    select unit, parent, now from edges where unit in (select unit from changed_units)
),

moved as (  -- the changed units whose parent is not the one the stored facts have
    (select unit, parent from changed_edges where now except select unit, parent from changed_edges where not now)
    union
    (select unit, parent from changed_edges where not now except select unit, parent from changed_edges where now)
),

below as (
    select unit from moved
    union
    select e.unit from below as b inner join edges as e on e.parent = b.unit
),

recomputed_units as (
    select unit from changed_units
    union
    select unit from below
    union
    select parent from changed_edges  -- R7: the government above a changed office
    union
    select a.unit from agencies as a  -- R7 by name: the government a changed office is named after
    where a.agency in (select regexp_replace(agency, '办公室$', '') from changed)
),

offices as (  -- R7: the offices of the recomputed governments, on the roster or by name
    select a.unit
    from agencies as a
    where a.parent in (select unit from recomputed_units) and (a.agency_type = 'office' or a.agency like '%办公室')
    union
    select a.unit from agencies as a where a.agency in (select unit || '办公室' from recomputed_units)
),

above as (
    select unit from recomputed_units
    union
    select unit from offices
    union
    select e.parent from above as a inner join edges as e on e.unit = a.unit where e.now
),

recomputed as (
    select name as agency from names where unit in (select unit from recomputed_units)
    union
    select agency from changed
),

read as (
    select agency from recomputed
    union
    select name from names where unit in (select unit from above)
),

final as (
    select 'unit' as role, unit as name from changed_units
    union all
    select 'agency', agency from recomputed
    union all
    select 'context', agency from read
    union  -- the scope picks reports by the name they were filed under: a roster alias's too
    select 'context', old_name from roster_changes
    where kind = 'alias' and new_name in (select agency from read)
)

select role, name from final
order by role, name
