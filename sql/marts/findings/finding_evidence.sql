-- The evidence of one current finding: one row per cell it names, with the figure's label, the
-- value the check used, the text as printed and its line. A table figure under a reviewer's
-- correction is marked (corrected) with the value as parsed beside it; a cell is matched to its
-- figure by key, line and printed text, so a prose mention of the same key is not marked. page is the
-- PDF page of the matched figure (null for other formats).
with chosen as (
    select report_id, cells
    from fct_findings
    where finding_key = $finding_key
),

cells as (
    select
        report_id,
        unnest(cast(cells as json[])) as cell
    from chosen
),

fields as (
    select
        report_id,
        unnest(finding_cell_fields(cell))
    from cells
),

final as (
    select
        f.metric,
        f.applicant,
        figure_key(f.metric, f.applicant) as figure_key,
        coalesce(m.label, f.metric) as metric_label,
        a.label as applicant_label,
        f.value,
        cell_value_text(f.value, f.metric) as value_text,
        f.raw,
        f.line,
        page_of(g.location) as page,
        coalesce(g.corrected, false) as corrected,
        g.original_value,
        a.position as applicant_position
    from fields as f
    left join metric_defs as m on f.metric = m.key
    left join applicant_defs as a on f.applicant = a.key
    left join stg_figures_corrected as g
        on f.report_id = g.report_id
        and f.metric = g.metric
        and f.applicant is not distinct from g.applicant
        and f.line is not distinct from g.line
        and f.raw is not distinct from g.raw
)

select * from final
order by line nulls last, metric, applicant_position nulls first
