-- R8: the template matches the reporting year, and a templated report has all six sections.
-- Expected template by year: prose up to 2018, the 2019 template (国办公开办函〔2019〕60号) for
-- 2019–2020, the 2021 template (国办公开办函〔2021〕30号) from 2021 on. The template was recognised
-- from the report's structure, so a mismatch is what the agency printed, not a parser guess. A report stored
-- without its year is held to no year's template, but its sections are checked like any other's.
with template_labels as (
    select * from (
        values
            ('2019', '2019版表格模板'),
            ('2021', '2021版表格模板'),
            ('prose', '无固定表格的文字报告')
    ) as t (template, label)
),

reports as (
    select
        report_id,
        agency,
        year,
        template,
        coalesce(sections, []) as sections,
        source_format,
        case
            when year is null then null
            when year < 2019 then 'prose'
            when year <= 2020 then '2019'
            else '2021'
        end as expected_template
    from (
        select * from stg_reports_current
        union all by name
        select * from stg_reports_unidentified
    )
    where template in ('2019', '2021', 'prose')
),

template_mismatches as (
    select
        r.report_id,
        r.agency,
        r.year,
        format('{}年度报告使用了{}，该年度应为{}', r.year, used.label, expected.label) as message
    from reports as r
    inner join template_labels as used on r.template = used.template
    inner join template_labels as expected on r.expected_template = expected.template
    where r.template <> r.expected_template
),

missing_sections as (
    select
        report_id,
        agency,
        year,
        list_filter(['一', '二', '三', '四', '五', '六'], lambda s: not list_contains(sections, s)) as missing
    from reports
    -- a row of the collection workbook carries figures only, never the report's prose sections
    where template in ('2019', '2021') and coalesce(source_format, '') <> 'collection'
),

incomplete as (
    select
        report_id,
        agency,
        year,
        format('缺少第{}部分（模板规定一至六共六部分）', array_to_string(missing, '、')) as message
    from missing_sections
    where len(missing) > 0
),

violations as (
    select * from template_mismatches
    union all
    select * from incomplete
),

final as (
    select
        report_id,
        agency,
        year,
        'R8' as rule,
        'warning' as severity,
        message,
        cast('[]' as json) as cells
    from violations
)

select * from final
