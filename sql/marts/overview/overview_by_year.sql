-- The 总览 page's headline figures per year for the selection (the briefing's 年度汇总 reads them too): reports,
-- units, requests received and handled, and the rates with the counts they divide. Totals and rates are taken
-- over the reports selected_reports counts, so a figure a superior's report already covers is not added twice
-- (`counted_reports` of `reports`; `mixed_levels` when a counted report's superior is unknown beside a
-- government's report). Sums take only what reports state: a report that does not state a figure adds nothing,
-- and `*_reports` says how many reports stated it. Rates are pooled_rate over fct_reports' columns, the one
-- definition every page shares (disclosed and concluded are the numerator and denominator actually divided).
-- Findings are counted by review status (with_review_state): findings_open is those still 待核实.
-- units_prev_year and same_units say whether the year before (the previous row) covers the same units, and
-- units_joined and units_left name the units reporting this year but not the year before, and the reverse.
-- The findings counted are the rule checks' (R1–R9); the parser's own notes (PARSE) are counted apart.
with selected as (
    -- only the columns read below: the CTE is read twice, so DuckDB keeps it, and narrow rows keep it cheap
    select
        year, agency, agency_type, counted, unlinked, requests_new, handled, disclosure_num, corr_num, corr_den
    from selected_reports('fct_reports', $regions, $levels, $types, $agencies, $year_from, $year_to)
),

per_year as (
    -- every selected report: how many there are and of which units
    select
        year,
        count(*) as reports,
        count(distinct agency) as units,
        count(*) filter (where counted) as counted_reports,
        sum(distinct hash(agency)::hugeint) as unit_set,  -- the set of units, whatever their order
        count(*) filter (where counted and unlinked) as unlinked_reports,
        count(*) filter (where counted and agency_type = 'government') as government_reports
    from selected
    group by year
),

totals as (
    -- the counted reports only: totals and rates, with the counts each rate divides (reports stating both sides)
    select
        year,
        sum(requests_new) as requests_new,
        count(requests_new) as requests_reports,
        sum(handled) as handled,
        pooled_part(disclosure_num, handled) as disclosed,
        pooled_part(handled, disclosure_num) as disclosure_den,
        pooled_rate(disclosure_num, handled) as disclosure_rate,
        pooled_part(corr_num, corr_den) as corrected,
        pooled_part(corr_den, corr_num) as concluded,
        pooled_rate(corr_num, corr_den) as correction_rate
    from selected
    where counted
    group by year
),

findings as (
    select year, status, count(*) as n
    from with_review_state('fct_findings')
    where
        rule <> 'PARSE'
        and in_selection(
            region, agency_level, agency_type, agency, year,
            $regions, $levels, $types, $agencies, $year_from, $year_to
        )
    group by year, status
),

by_status as (
    select
        year,
        sum(n)::bigint as findings,
        coalesce(sum(n) filter (where status = '待核实'), 0)::bigint as findings_open,
        coalesce(sum(n) filter (where status = '已说明'), 0)::bigint as findings_explained,
        coalesce(sum(n) filter (where status = '已更正'), 0)::bigint as findings_corrected,
        coalesce(sum(n) filter (where status = '不采纳'), 0)::bigint as findings_rejected
    from findings
    group by year
),

parse_notes as (
    select year, count(*) as parse_notes
    from fct_findings
    where
        rule = 'PARSE'
        and in_selection(
            region, agency_level, agency_type, agency, year,
            $regions, $levels, $types, $agencies, $year_from, $year_to
        )
    group by year
),

year_before as (
    -- each selected year with the selected year before it (none for the first)
    select
        year,
        lag(year) over (order by year) as prev_year
    from per_year
),

unit_years as (
    select distinct year, agency from selected
),

unit_changes as (
    -- the units of a year missing from the year before (joined) and of the year before missing from it (left),
    -- found by joining the two years' units rather than searching one year's list for each unit of the other
    select
        y.year,
        list_sort(list(u.agency) filter (where u.year = y.year)) as joined,
        list_sort(list(u.agency) filter (where u.year = y.prev_year)) as left_units
    from year_before as y
    inner join unit_years as u on u.year in (y.year, y.prev_year)
    where y.prev_year is not null and not exists (
        select 1 from unit_years as o
        where o.agency = u.agency and o.year = (case when u.year = y.year then y.prev_year else y.year end)
    )
    group by y.year
),

final as (
    select
        p.* exclude (unit_set),
        t.* exclude (year),
        p.unlinked_reports > 0 and p.government_reports > 0 as mixed_levels,
        p.units as units_this_year,
        lag(p.units) over (order by p.year) as units_prev_year,
        p.unit_set = lag(p.unit_set) over (order by p.year) as same_units,
        coalesce(f.findings, 0) as findings,
        coalesce(f.findings_open, 0) as findings_open,
        coalesce(f.findings_explained, 0) as findings_explained,
        coalesce(f.findings_corrected, 0) as findings_corrected,
        coalesce(f.findings_rejected, 0) as findings_rejected,
        coalesce(n.parse_notes, 0) as parse_notes,
        coalesce(c.joined, []) as units_joined,
        case when y.prev_year is not null then coalesce(c.left_units, []) end as units_left
    from per_year as p
    inner join year_before as y on p.year = y.year
    left join unit_changes as c on p.year = c.year
    left join totals as t on p.year = t.year
    left join by_status as f on p.year = f.year
    left join parse_notes as n on p.year = n.year
)

select * from final
order by year
