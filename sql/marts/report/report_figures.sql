-- Every figure of one stored report (any version: older versions keep their figures), labelled for
-- reading beside the source text. A figure the report prints without a number ("/", "—", a blank
-- cell) has a null value and is shown as 未填报, never as 0; one whose run-together digits could not
-- be split unambiguously is shown as 无法拆分. raw keeps the text as printed either way. A figure a
-- reviewer corrected shows the corrected value marked （已更正）, with the value as parsed beside it. page is
-- the PDF page the figure stands on (null for other formats).
with chosen as (
    select *
    from stg_figures_corrected
    where report_id = $report_id
),

final as (
    select
        figure_key(f.metric, f.applicant) as figure_key,
        f.section,
        f.row_label,
        f.col_label,
        coalesce(m.label, f.metric) as metric_label,
        a.label as applicant_label,
        f.value,
        case
            when f.value is not null then fmt_num(f.value)
            when f.qualifier = 'ambiguous' and not f.corrected then '无法拆分'
            else '未填报'
        end || case when f.corrected then '（已更正）' else '' end as value_text,
        f.corrected,
        f.original_value,
        f.raw,
        f.line,
        f.location,
        page_of(f.location) as page,
        f.kind,
        f.qualifier,
        f.sentence,
        f.metric,
        a.position as applicant_position
    from chosen as f
    left join metric_defs as m on f.metric = m.key
    left join applicant_defs as a on f.applicant = a.key
)

-- in reading order: by line, and along a line of section 三 in the printed column order
select * from final
order by line nulls last, metric, applicant_position nulls first
