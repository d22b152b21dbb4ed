-- R9: every table cell holds a number as a count should be printed. A count is a plain
-- non-negative whole number ("00", "增7", "-3", "1.5" are not); a change (本年增/减) may carry a
-- sign but no words; an amount may have decimals. Converter markers such as "[bookmark: _GoBack]"
-- are not part of what the agency printed and are removed first. A blank, "/" or "—" means "not
-- stated", which is allowed and is not an R9 finding. Neither is a cell the parser could not
-- split out of a run of digits (qualifier ambiguous): its raw text is the whole run, not the cell,
-- and the parser has already reported it.
with printed_cells as (
    select
        report_id,
        agency,
        year,
        metric,
        metric_label,
        metric_kind,
        applicant,
        value,
        raw,
        line,
        regexp_replace(
            regexp_replace(raw, '\[[A-Za-z_]+:[^\]]*\]', '', 'g'),
            '^[\s\x{3000}]+|[\s\x{3000}]+$',
            '',
            'g'
        ) as printed
    from stg_figures
    where kind = 'table'
        and raw is not null
        and qualifier is distinct from 'ambiguous'
),

stated_cells as (
    select *
    from printed_cells
    where printed not in ('', '/', '／', '—', '——', '–', '-', '－')
),

judged as (
    select
        *,
        -- a whole number: no leading zero, digits may be full-width, thousands may be grouped
        -- ("65,036"); the same pattern is repeated so that each stays a constant
        case metric_kind
            when 'change' then regexp_full_match(printed, '[+\-＋－]?([0０]|[1-9１-９][0-9０-９]*|[1-9１-９][0-9０-９]{0,2}([,，][0-9０-９]{3})+)')
            when 'amount' then regexp_full_match(printed, '([0０]|[1-9１-９][0-9０-９]*|[1-9１-９][0-9０-９]{0,2}([,，][0-9０-９]{3})+)([.．][0-9０-９]+)?')
            else regexp_full_match(printed, '[0０]|[1-9１-９][0-9０-９]*|[1-9１-９][0-9０-９]{0,2}([,，][0-9０-９]{3})+')
        end as well_formed
    from stated_cells
),

final as (
    select
        j.report_id,
        j.agency,
        j.year,
        'R9' as rule,
        'warning' as severity,
        format(
            '{}{}：单元格“{}”{}',
            coalesce(j.metric_label, j.metric),
            case when a.key is null then '' else '（' || a.label || '）' end,
            j.printed,
            case j.metric_kind
                when 'change' then '不是规范的增减数（可带正负号，不应有文字）'
                when 'amount' then '不是规范的非负数额'
                else '不是规范的非负整数'
            end
        ) as message,
        to_json([finding_cell(j.metric, j.applicant, j.value, j.raw, j.line)]) as cells
    from judged as j
    left join applicant_defs as a on j.applicant = a.key
    where not j.well_formed
)

select * from final
