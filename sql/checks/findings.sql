-- Every finding in one place: the violations of the rule checks (R1–R9, one chk_* view per rule) and
-- the problems the parser saw while reading, for current reports. The findings page, the check command
-- and the tests all read this view, so they cannot disagree. check_views() lists every chk_* file of
-- this folder (the loader writes it from the folder), so a new check feeds the findings as it is added.
with checks as (
    select * from query_table(check_views(), true)  -- true: union all by name
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
