-- Every correction and undo of one report's figures, newest first, with the figure's label, the
-- value as parsed, the corrected value and the state of each correction: in force (is_current),
-- replaced by a later one (active but not current) or undone (undone_by, undone_at).
with chosen as (
    select *
    from stg_figure_corrections
    where report_id = $report_id
),

final as (
    select
        c.correction_id,
        c.action,
        c.undoes,
        c.metric,
        c.applicant,
        figure_key(c.metric, c.applicant) as figure_key,
        coalesce(m.label, c.metric) as metric_label,
        a.label as applicant_label,
        f.value as original_value,
        f.raw,
        f.line,
        c.value,
        c.reason,
        c.corrected_by,
        c.corrected_at,
        c.undone_by,
        c.undone_at,
        c.is_active,
        c.is_current
    from chosen as c
    left join figures as f
        on c.report_id = f.report_id
        and c.metric = f.metric
        and c.applicant is not distinct from f.applicant
    left join metric_defs as m on c.metric = m.key
    left join applicant_defs as a on c.applicant = a.key
)

select * from final
order by correction_id desc
