-- Every finding in one place: the violations of the checks R1–R9 and the problems the parser saw
-- while reading, for current reports. The findings page, the check command and the tests all read
-- this view, so they cannot disagree.
with checks as (
    select * from chk_requests_balance
    union all by name
    select * from chk_outcomes_add_up
    union all by name
    select * from chk_applicants_add_up
    union all by name
    select * from chk_review_blocks_add_up
    union all by name
    select * from chk_prose_matches_tables
    union all by name
    select * from chk_carried_over_matches_last_year
    union all by name
    select * from chk_government_level_matches_office
    union all by name
    select * from chk_template_and_sections
    union all by name
    select * from chk_counts_well_formed
),

parsed as (
    select
        p.report_id,
        r.agency,
        r.year,
        p.rule,
        p.severity,
        p.message,
        p.cells
    from parse_findings as p
    inner join (
        select report_id, agency, year from stg_reports_current
        union all
        select report_id, agency, year from stg_reports_unidentified
    ) as r on p.report_id = r.report_id
),

merged as (
    select report_id, agency, year, rule, severity, message, cells from checks
    union all
    select report_id, agency, year, rule, severity, message, cells from parsed
),

-- finding_key names a finding across re-ingests and new versions of the same report, so that its
-- review status and explanations (finding_status_events, finding_notes) stay attached to it: it is
-- built from the agency, year, rule and what the finding is about (finding_subject), never from the
-- report id (a hash of the text) or the values quoted. Two findings of one rule about the same cells
-- are told apart by their order in the report. A report without an agency or a year is no unit's report
-- of a year: its findings are keyed by its report id as well (`unplaced`, null for every other report, which
-- concat_ws skips, so their keys stay as they were), so that two such reports never share a finding.
subjects as (
    select
        *,
        finding_subject(cells, message) as subject,
        first_cell_line(cells) as first_line,
        case when agency is null or year is null then report_id end as unplaced
    from merged
),

final as (
    select
        report_id,
        agency,
        year,
        rule,
        severity,
        message,
        cells,
        left(
            md5(
                concat_ws(
                    '|', agency, year, unplaced, rule, subject,
                    row_number() over (
                        partition by agency, year, unplaced, rule, subject order by first_line nulls last, message
                    )
                )
            ),
            16
        ) as finding_key
    from subjects
)

select * from final
