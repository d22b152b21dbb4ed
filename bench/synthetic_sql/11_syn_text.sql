-- The normalised text of every report, one table row per line as the readers write it (cells separated by
-- tabs), so that each figure's line number points at the line that prints it. The second line of every
-- report says that it is synthetic.
create or replace temp table syn_text as
with headings as (
    select * from (
        values
            ('prose', 3, '一、概述'),
            ('prose', 4, '本年度，本单位认真贯彻落实《中华人民共和国政府信息公开条例》，政府信息公开工作有序推进。'),
            ('prose', 5, '二、主动公开政府信息的情况'),
            ('prose', 7, '三、依申请公开政府信息情况'),
            ('prose', 10, '四、收费及减免情况'),
            ('prose', 12, '五、行政复议和行政诉讼情况'),
            ('prose', 14, '六、人大代表建议和政协委员提案办理情况'),
            ('prose', 16, '七、存在的主要问题及改进措施'),
            ('prose', 17, '信息公开的及时性有待提高，下一步将加强培训、完善制度。'),
            ('workplan', 3, '一、工作目标'),
            ('workplan', 4, '围绕中心工作，深化重点领域信息公开，提升政务公开质量。'),
            ('workplan', 5, '二、重点任务'),
            ('workplan', 6, '加强政策解读，做好政府信息公开年度报告编制发布工作。')
    ) as t (template, line, text)
),

templated_headings as (
    select
        l.template,
        h.line,
        h.text
    from syn_lines as l
    cross join lateral (
        values
            (3, '一、总体情况'),
            (5, '二、主动公开政府信息情况'),
            (l.l3, '三、收到和处理政府信息公开申请情况'),
            (l.l4, '四、政府信息公开行政复议、行政诉讼情况'),
            (l.l5, '五、政府信息公开工作存在的主要问题及改进情况'),
            (l.l5 + 1, '主要问题是公开内容不够全面，下一步将加强培训、完善制度。')
    ) as h (line, text)
    union all
    select template, l6, '六、其他需要报告的事项' from syn_lines
),

cells as (
    select report_id, line, row_label, col_no, raw from syn_section2
    union all
    select report_id, line, row_label, col_no, raw from syn_section3
    union all
    select report_id, line, row_label, col_no, raw from syn_section4
),

table_lines as (
    select
        report_id,
        line,
        any_value(row_label) || chr(9) || string_agg(coalesce(raw, ''), chr(9) order by col_no) as text
    from cells
    group by report_id, line
),

prose_lines as (
    -- the prose figures' sentences, one line each (a line with several figures is written once)
    select report_id, line, string_agg(distinct sentence, '') as text
    from syn_prose
    where line <> 4
    group by report_id, line
),

overview_lines as (
    select
        r.report_id,
        4 as line,
        coalesce(o.sentence, '本年度依申请公开工作平稳有序。')
        || coalesce(any_value(p.sentence) filter (where p.metric = 'proactive.items'), '') as text
    from syn_reports as r
    left join syn_overview as o on r.report_id = o.report_id
    left join syn_prose as p on r.report_id = p.report_id and p.line = 4
    where r.template in ('2019', '2021')
    group by r.report_id, o.sentence
),

lines as (
    select report_id, 1 as line,
        agency || year || case when template = 'workplan' then '年政务公开工作要点' else '年政府信息公开工作年度报告' end
            as text
    from syn_reports
    union all
    select report_id, 2, '（合成数据：本报告由性能测试程序生成，单位与数字均为虚构，不是真实报告）'
    from syn_reports
    union all
    select r.report_id, h.line, h.text
    from syn_reports as r
    inner join headings as h on r.template = h.template
    union all
    select r.report_id, h.line, h.text
    from syn_reports as r
    inner join templated_headings as h on r.template = h.template
    union all
    select report_id, line, text from table_lines
    union all
    select report_id, line, text from prose_lines
    union all
    select report_id, line, text from overview_lines
),

fillers as (
    -- a prose report leaves out the sentences of figures it does not state; the lines keep their numbers
    select r.report_id, g.line, '本部分未列出具体数字。' as text
    from syn_reports as r
    cross join range(1, 18) as g (line)
    where r.template = 'prose'
),

numbered as (
    select * from lines
    union all
    select f.*
    from fillers as f
    anti join lines as l on f.report_id = l.report_id and f.line = l.line
),

final as (
    select
        report_id,
        string_agg(text, chr(10) order by line) as text
    from numbered
    group by report_id
)

select * from final
