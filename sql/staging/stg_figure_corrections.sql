-- Every row of the corrections log with its state. A correction is active until an undo row names
-- it; the active correction with the highest id is the one a figure shows (is_current). Order is by
-- id, not by clock: ids are handed out under the writer lock, so they follow the order of the writes.
with undos as (
    select
        undoes,
        min(correction_id) as undo_id,
        arg_min(corrected_by, correction_id) as undone_by,
        arg_min(corrected_at, correction_id) as undone_at
    from figure_corrections
    where undoes is not null
    group by undoes
),

events as (
    select
        c.*,
        case when c.undoes is null then 'correct' else 'undo' end as action,
        u.undo_id,
        u.undone_by,
        u.undone_at,
        c.undoes is null and u.undo_id is null as is_active
    from figure_corrections as c
    left join undos as u on c.correction_id = u.undoes
),

final as (
    select
        *,
        is_active and correction_id = max(correction_id) filter (where is_active) over (
            partition by report_id, metric, applicant
        ) as is_current
    from events
)

select * from final
