-- Findings of the selection that have review history but no longer occur: the figure was corrected,
-- or a newer version of the report no longer has the problem. Their statuses and explanations are
-- kept (and come back with the finding should it occur again); this list keeps them in sight. Each is
-- described by its latest status event or note (stg_finding_last_record), which record what the
-- finding said then. A key whose record was carried to another key with its report (stg_findings_moved) is not
-- gone and is left out.
with gone as (
    select r.finding_key, r.report_id, r.agency, r.year, r.rule, r.message
    from stg_finding_last_record as r
    left join stg_agencies as g on r.agency = g.agency
    where
        r.finding_key not in (select finding_key from fct_findings)
        and r.finding_key not in (select finding_key from stg_findings_moved)  -- its record lives on elsewhere
        and (
            r.agency is null  -- recorded on a report without an agency or a year: listed whatever the selection
            or r.year is null
            or in_selection(
                g.region, g.agency_level, g.agency_type, r.agency, r.year,
                $regions, $levels, $types, $agencies, $year_from, $year_to
            )
        )
),

final as (
    select * exclude (last_note_by, last_note_at)
    from with_review_state('gone')
)

select * from final
order by agency, year, rule, finding_key
