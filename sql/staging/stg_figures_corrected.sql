-- Every stored figure (all versions) with the reviewers' corrections applied: value is the corrected
-- value where a correction is in force (null when the reviewer said the cell is not stated), else the
-- value as parsed. original_value keeps what the parser read, raw what the report printed, and
-- corrected says which figures differ, so a page can mark them. stg_figures, the facts and the marts
-- read figures through this view, so every check and total uses the corrected value.
with current_corrections as (
    select report_id, metric, applicant, value, correction_id, reason, corrected_by, corrected_at
    from stg_figure_corrections
    where is_current
),

final as (
    select
        f.* replace (case when c.correction_id is null then f.value else c.value end as value),
        f.value as original_value,
        c.correction_id is not null as corrected,
        c.correction_id,
        c.reason as correction_reason,
        c.corrected_by,
        c.corrected_at
    from figures as f
    left join current_corrections as c
        on f.report_id = c.report_id
        and f.metric = c.metric
        and f.applicant is not distinct from c.applicant
)

select * from final
