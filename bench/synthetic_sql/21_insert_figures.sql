-- Store the synthetic figures in the real figures table: the three tables' cells and the prose figures,
-- each with where it stands in the file its format would have been read from (a line of a text file, a
-- table row of a web page or Word file, a PDF page, a workbook cell).
insert into figures by name
with table_cells as (
    select *, 1 as table_no from syn_section2
    union all by name
    select *, 2 as table_no from syn_section3
    union all by name
    select *, 3 as table_no from syn_section4
),

located as (
    select
        c.*,
        'table' as kind,
        c.line - case c.table_no when 1 then 5 when 2 then l.l3 else l.l4 end as table_row,
        r.source_format
    from table_cells as c
    inner join syn_reports as r on c.report_id = r.report_id
    inner join syn_lines as l on r.template = l.template
),

prose as (
    select p.*, 'prose' as kind, r.source_format
    from syn_prose as p
    inner join syn_reports as r on p.report_id = r.report_id
),

final as (
    select
        report_id, metric, applicant, value, raw, line, section, row_label, col_label, kind, qualifier,
        cast(null as varchar) as sentence,
        cast(null as double) as percent,
        case source_format
            when 'text' then format('第{}行', line)
            when 'pdf' then format('第{}页', 1 + line // 25)
            when 'xlsx' then format('Sheet1!A{}', line)
            when 'collection' then format('汇总表!{}', line)
            else format('表{} 第{}行', table_no, table_row)
        end as location
    from located
    union all
    select
        report_id, metric, applicant, value, raw, line, section, '' as row_label, '' as col_label, kind, qualifier,
        sentence,
        percent,
        case source_format
            when 'text' then format('第{}行', line)
            when 'pdf' then format('第{}页', 1 + line // 25)
            when 'docx' then format('第{}段', line)
            when 'html' then '正文'
            else format('Sheet1!A{}', line)
        end as location
    from prose
)

select * from final
