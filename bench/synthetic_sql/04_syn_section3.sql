-- Every cell of the section 三 table of templated reports: the handled requests of each applicant column
-- split over the template's outcome rows by their shares (予以公开 takes what rounding leaves, so that R2
-- holds), and the 总计 column as the sum of the six others (R3 holds). Then what real reports do: a few
-- 总计 cells of 办理结果总计 that do not add up (R1, R2, R3), a few cells printed blank or "/" (NULL, not
-- 0), and a few cells printed with a unit or a leading zero (R9).
create or replace temp table syn_section3 as
with templated as (
    select report_id, template
    from syn_reports
    where template in ('2019', '2021')
),

outcome_rows as (
    select
        q.report_id,
        q.applicant,
        q.handled,
        l.metric,
        l.share * exp(0.9 * syn_z(q.report_id || q.applicant || l.metric, 20)) as weight
    from syn_requests as q
    inner join templated as t on q.report_id = t.report_id
    inner join syn_s3_layout as l on t.template = l.template and l.role = 'outcome'
),

split as (
    select
        *,
        case
            when metric <> 'outcome.granted'
                then floor(handled * weight / sum(weight) over (partition by report_id, applicant))
        end as part
    from outcome_rows
),

outcomes as (
    select
        report_id,
        applicant,
        metric,
        coalesce(part, handled - sum(part) over (partition by report_id, applicant)) as value
    from split
),

columns as (
    select report_id, applicant, metric, value from outcomes
    union all
    select report_id, applicant, 'requests.new', new_requests from syn_requests
    union all
    select report_id, applicant, 'requests.carried_over', carried_over from syn_requests
    union all
    select report_id, applicant, 'outcome.total', handled from syn_requests
    union all
    select report_id, applicant, 'requests.carried_forward', carried_forward from syn_requests
),

with_total as (
    select * from columns
    union all
    select
        report_id,
        'total' as applicant,
        metric,
        sum(value) + case
            -- a printed total that is not the sum of its parts
            when metric = 'outcome.total' and syn_u(report_id, 21) < 0.015 then 1 + floor(5 * syn_u(report_id, 22))
            else 0
        end as value
    from columns
    group by report_id, metric
),

damaged as (
    -- a column that does not add up across its rows: one cell off by a little (R1, R3)
    select
        report_id,
        applicant,
        metric,
        value + case
            when metric = 'requests.new' and applicant = 'natural_person' and syn_u(report_id, 23) < 0.007 then 2
            else 0
        end as value,
        syn_u(report_id || applicant || metric, 24) as draw
    from with_total
),

final as (
    select
        d.report_id,
        d.metric,
        d.applicant,
        case when d.draw < 0.001 then null else d.value end as value,
        case
            when d.draw < 0.0005 then '/'
            when d.draw < 0.001 then ''
            when d.draw < 0.0011 then syn_count_text(d.value, '件')  -- R9
            when d.draw < 0.0012 then '0' || syn_count_text(d.value, '')  -- R9
            else syn_count_text(d.value, '')
        end as raw,
        l.line,
        '三' as section,
        l.row_label,
        a.label as col_label,
        a.position as col_no
    from damaged as d
    inner join templated as t on d.report_id = t.report_id
    inner join syn_s3_layout as l on t.template = l.template and d.metric = l.metric
    inner join syn_applicants as a on d.applicant = a.key
)

select * from final
