-- True when a row lies inside the dashboard's selection; an empty list means "all", a missing year bound
-- means "open". Every mart filters with it, so the sidebar means the same thing on every page.
create or replace macro in_selection(
    region, agency_level, agency_type, agency, year, regions, levels, types, agencies, year_from, year_to
) as (
    (len(regions::varchar[]) = 0 or list_contains(regions::varchar[], coalesce(region, '（未注明）')))
    and (len(levels::varchar[]) = 0 or list_contains(levels::varchar[], agency_level))
    and (len(types::varchar[]) = 0 or list_contains(types::varchar[], agency_type))
    and (len(agencies::varchar[]) = 0 or list_contains(agencies::varchar[], agency))
    and (year_from is null or year >= year_from)
    and (year_to is null or year <= year_to)
)
