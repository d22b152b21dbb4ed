-- The review state of the selection's findings for the briefing's 状态 and 情况说明 columns and its
-- footnotes: each finding's current status with who set it and when, and its latest written explanation with
-- who wrote it and when, as the finding_reviews view gives them but
-- read from the stored findings (fct_findings), so that the checks are not evaluated again. Only
-- the agency and year filters apply here (the view carries no region, level or type); the briefing
-- matches these rows to its own list of findings by finding_key.
with reviewed as (
    select finding_key, status, status_by, status_at, note_count, last_note, last_note_by, last_note_at
    from with_review_state('fct_findings')
    where
        (len($agencies::varchar[]) = 0 or list_contains($agencies::varchar[], agency))
        and ($year_from is null or year >= $year_from)
        and ($year_to is null or year <= $year_to)
),

final as (
    select * from reviewed
)

select * from final
