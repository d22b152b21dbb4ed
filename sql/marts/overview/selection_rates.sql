-- Every rate over the whole selection (all its years), with the numerator and denominator it divides: the
-- headline rates of 办理结果 and 复议诉讼. They are pooled_rate over the fct_reports columns that define each
-- rate, taken over the reports selected_reports counts (a report its superior's report covers is not added
-- twice), exactly as 总览 and the briefing take them per year, so a one-year selection shows the same rate on
-- every page. `counted_reports` of `reports` were counted; `covered_reports` were left out, and `covered` lists
-- the first 20 of them (by year and agency) and why: a page writes out no more.
with selected as (
    -- only the columns read below: the CTE is read twice, so DuckDB keeps it, and narrow rows keep it cheap
    select
        agency, year, agency_type, covered_by, counted, unlinked, requests_new, carried_over, handled, granted,
        partial, denied, unavailable, not_processed, other, disclosure_num, closure_den, corr_review_num,
        corr_review_den, corr_litigation_num, corr_litigation_den, corr_num, corr_den,
        direct.counted_corrected as direct_num, direct.counted_concluded as direct_den,
        after_review.counted_corrected as after_review_num, after_review.counted_concluded as after_review_den,
        npc.resolved as npc_resolved, npc.received as npc_received,
        cppcc.resolved as cppcc_resolved, cppcc.received as cppcc_received
    from selected_reports('fct_reports', $regions, $levels, $types, $agencies, $year_from, $year_to)
),

counted as (
    select
        count(*) as counted_reports,
        pooled_rate(disclosure_num, handled) as disclosure_rate,
        pooled_part(disclosure_num, handled) as disclosure_num,
        pooled_part(handled, disclosure_num) as disclosure_den,
        pooled_rate(granted, handled) as granted_rate,
        pooled_part(granted, handled) as granted_num,
        pooled_part(handled, granted) as granted_den,
        pooled_rate(partial, handled) as partial_rate,
        pooled_part(partial, handled) as partial_num,
        pooled_part(handled, partial) as partial_den,
        pooled_rate(denied, handled) as denied_rate,
        pooled_part(denied, handled) as denied_num,
        pooled_part(handled, denied) as denied_den,
        pooled_rate(unavailable, handled) as unavailable_rate,
        pooled_part(unavailable, handled) as unavailable_num,
        pooled_part(handled, unavailable) as unavailable_den,
        pooled_rate(not_processed, handled) as not_processed_rate,
        pooled_part(not_processed, handled) as not_processed_num,
        pooled_part(handled, not_processed) as not_processed_den,
        pooled_rate(other, handled) as other_rate,
        pooled_part(other, handled) as other_num,
        pooled_part(handled, other) as other_den,
        pooled_rate(handled, closure_den) as closure_rate,
        pooled_part(handled, closure_den) as closure_num,
        pooled_part(closure_den, handled) as closure_den,
        pooled_rate(corr_review_num, corr_review_den) as review_correction_rate,
        pooled_part(corr_review_num, corr_review_den) as review_correction_num,
        pooled_part(corr_review_den, corr_review_num) as review_correction_den,
        pooled_rate(direct_num, direct_den) as direct_correction_rate,
        pooled_part(direct_num, direct_den) as direct_correction_num,
        pooled_part(direct_den, direct_num) as direct_correction_den,
        pooled_rate(after_review_num, after_review_den) as after_review_correction_rate,
        pooled_part(after_review_num, after_review_den) as after_review_correction_num,
        pooled_part(after_review_den, after_review_num) as after_review_correction_den,
        pooled_rate(corr_litigation_num, corr_litigation_den) as litigation_correction_rate,
        pooled_part(corr_litigation_num, corr_litigation_den) as litigation_correction_num,
        pooled_part(corr_litigation_den, corr_litigation_num) as litigation_correction_den,
        pooled_rate(corr_num, corr_den) as correction_rate,
        pooled_part(corr_num, corr_den) as correction_num,
        pooled_part(corr_den, corr_num) as correction_den,
        pooled_rate(npc_resolved, npc_received) as npc_rate,
        pooled_part(npc_resolved, npc_received) as npc_num,
        pooled_part(npc_received, npc_resolved) as npc_den,
        pooled_rate(cppcc_resolved, cppcc_received) as cppcc_rate,
        pooled_part(cppcc_resolved, cppcc_received) as cppcc_num,
        pooled_part(cppcc_received, cppcc_resolved) as cppcc_den
    from selected
    where counted
),

everything as (
    select
        count(*) as reports,
        count(*) filter (where counted and unlinked) > 0
        and count(*) filter (where counted and agency_type = 'government') > 0 as mixed_levels,
        count(*) filter (where not counted) as covered_reports,
        coalesce(
            list_slice(
                list(format('{}{}年（已含于{}的报告）', agency, year, covered_by) order by year, agency)
                    filter (where not counted),
                1,
                20
            ),
            []
        ) as covered
    from selected
)

select * from everything cross join counted
