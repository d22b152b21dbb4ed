-- The roster's units and every other name tied to them (earlier names from renames and mergers, and aliases
-- confirmed in the app), for matching an agency name the roster does not list to its likely unit
-- (loaders.unit_match): via = 'self' rows are the units. Empty when no roster is imported.
select
    unit,
    name,
    via
from fct_coverage_names
where exists (select 1 from roster_units)
order by unit, name
