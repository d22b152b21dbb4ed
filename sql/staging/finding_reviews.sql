-- One row per current finding (the findings view: checks R1–R9 and the parser's own problems, on
-- corrected figures) with its review state (with_review_state): status, who set it and when, how many
-- explanations it has and the latest one. Exports fill their findings sheet from this view. Statuses and
-- notes live in their own tables, keyed by finding_key, so re-ingesting reports never resets them.
with current_findings as (
    select finding_key, report_id, agency, year, rule, severity, message
    from findings
),

final as (
    select * from with_review_state('current_findings')
)

select * from final
order by agency, year, rule, finding_key
