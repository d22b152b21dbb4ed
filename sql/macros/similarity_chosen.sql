-- The 雷同 comparisons the 雷同检查 page lists (similarity_sections) and counts (similarity_summary): those of
-- current reports in the sidebar selection whose score reaches `threshold` (0..1; null = all), of the relations
-- in `relations` ('上年', '同类'; empty or null = both), each with its report's agency, year and report_order.
-- The passages stay behind: a query names the columns it reads, so the JSON is read only where it is asked for.
-- `source` is 'fct_reports', named by the caller: the macro is created before the facts, so it looks the table
-- up when a query calls it (as selected_reports does).
create or replace macro similarity_chosen(
    source, threshold, relations, regions, levels, types, agencies, year_from, year_to
) as table
    select
        s.* exclude (passages),
        r.agency,
        r.year,
        r.report_order
    from section_similarity as s
    inner join query_table(source) as r on s.report_id = r.report_id  -- current reports with their agency's attributes
    where
        s.score >= coalesce(threshold, 0)
        and (coalesce(len(relations::varchar[]), 0) = 0 or list_contains(relations::varchar[], s.relation))
        and in_selection(
            r.region, r.agency_level, r.agency_type, r.agency, r.year,
            regions, levels, types, agencies, year_from, year_to
        );
