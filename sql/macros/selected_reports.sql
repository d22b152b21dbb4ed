-- The current annual reports of the dashboard's selection (fct_reports rows that state at least one figure),
-- each marked with whether a total over the selection counts it. A government's report covers its whole area,
-- so its office's and departments' figures are already inside it: a report whose unit answers, however far up
-- (fct_reports.ancestors, from the roster's parent links or, without a roster, from the agency's name), to a
-- unit that has a report of the same year in the selection is left out of totals and pooled rates
-- (counted = false; covered_by names the unit whose report covers it), so nothing is added twice. Where the
-- tree cannot tell (a unit other than a government with no known superior), `unlinked` marks the report, and
-- the pages say that a total may mix levels. 总览, 办理结果, 复议诉讼 and the briefing all total through this.
-- `source` is 'fct_reports', named by the caller: the macro is created before the facts, so it looks the table
-- up when a query calls it.
create or replace macro selected_reports(source, regions, levels, types, agencies, year_from, year_to) as table
    with chosen as (
        -- only the columns the roll-up needs: the wide rows are read once, below
        select report_id, year, unit, ancestors
        from query_table(source)
        where
            stated > 0
            and template is distinct from 'workplan'
            and in_selection(
                region, agency_level, agency_type, agency, year,
                regions, levels, types, agencies, year_from, year_to
            )
    ),

    up as (
        select report_id, year, unnest(ancestors) as ancestor
        from chosen
        where len(ancestors) > 0
    ),

    covered as (
        -- the selected unit above each report (the first by name) that has a report of its own that year
        select u.report_id, min(c.unit) as covered_by
        from up as u
        inner join chosen as c on u.year = c.year and u.ancestor = c.unit
        group by u.report_id
    )

    select
        r.*,
        v.covered_by,
        v.covered_by is null as counted,
        r.parent is null and r.agency_type is distinct from 'government' as unlinked
    from query_table(source) as r
    left join covered as v on r.report_id = v.report_id
    where
        r.stated > 0
        and r.template is distinct from 'workplan'
        and in_selection(
            r.region, r.agency_level, r.agency_type, r.agency, r.year,
            regions, levels, types, agencies, year_from, year_to
        );
