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
            order by severity_rank(severity), rule, message
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
        unnest(finding_cell_fields(cell))
    from cells
),

final as (
    select
        f.finding_no,
        f.rule,
        f.severity,
        f.message,
        figure_key(f.metric, f.applicant) as figure_key,
        coalesce(m.label, f.metric) as metric_label,
        a.label as applicant_label,
        cell_value_text(f.value, f.metric) || case when g.corrected then '（已更正）' else '' end as value_text,
        f.value,
        coalesce(g.corrected, false) as corrected,
        f.raw,
        f.line,
        page_of(g.location) as page  -- the PDF page of the cell's figure; null for other formats
    from fields as f
    left join metric_defs as m on f.metric = m.key
    left join applicant_defs as a on f.applicant = a.key
    -- a table cell under a reviewer's correction is marked; matched by key, line and printed text so
    -- that a prose mention of the same key is not
    left join stg_figures_corrected as g
        on g.report_id = $report_id
        and f.metric = g.metric
        and f.applicant is not distinct from g.applicant
        and f.line is not distinct from g.line
        and f.raw is not distinct from g.raw
)

select * from final
order by finding_no, line nulls last, figure_key
