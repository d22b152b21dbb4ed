-- The findings against one report, one row per cell the finding involves (a finding without cells,
-- such as a template mismatch, gets one row with empty cell columns), so that each cell can be
-- picked and its line shown. The checks R1–R9 run only on the current version of each report, and
-- fct_findings already holds those together with the parser's findings; for an older version only
-- the parser's own findings exist, read from parse_findings. The "not exists" keeps the parser's
-- findings of a current report from appearing twice.
with checked as (
    select rule, severity, message, cells
    from fct_findings
    where report_id = $report_id
),

parsed_only as (
    select rule, severity, message, cells
    from parse_findings
    where report_id = $report_id
        and not exists (select 1 from fct_findings where report_id = $report_id)
),

numbered as (
    select
        row_number() over (
            order by case severity when 'error' then 1 when 'warning' then 2 else 3 end, rule, message
        ) as finding_no,
        *
    from (
        select * from checked
        union all
        select * from parsed_only
    )
),

cells as (
    select
        n.finding_no,
        n.rule,
        n.severity,
        n.message,
        unnest(
            case when json_array_length(n.cells) > 0 then cast(n.cells as json[]) else [null::json] end
        ) as cell
    from numbered as n
),

fields as (
    select
        finding_no,
        rule,
        severity,
        message,
        cell ->> 'metric' as metric,
        cell ->> 'applicant' as applicant,
        try_cast(cell ->> 'value' as double) as value,
        cell ->> 'raw' as raw,
        try_cast(cell ->> 'line' as integer) as line
    from cells
),

final as (
    select
        f.finding_no,
        f.rule,
        f.severity,
        f.message,
        f.metric || coalesce('|' || f.applicant, '') as figure_key,
        coalesce(m.label, f.metric) as metric_label,
        a.label as applicant_label,
        case
            when f.value is not null then fmt_num(f.value)
            when f.metric is not null then '未填报'
        end as value_text,
        f.raw,
        f.line
    from fields as f
    left join metric_defs as m on f.metric = m.key
    left join applicant_defs as a on f.applicant = a.key
)

select * from final
order by finding_no, line nulls last, figure_key
