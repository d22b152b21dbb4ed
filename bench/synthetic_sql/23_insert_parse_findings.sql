-- The parser's own finding for each row of section 二 whose digits ran together and could not be split,
-- worded as the parser words it.
insert into parse_findings by name
select distinct
    report_id,
    'PARSE' as rule,
    'warning' as severity,
    format('第二部分“{}”一行的数字“{}”可以多种方式拆分，无法确定的单元格已留空', row_label, raw) as message,
    cast(to_json([{'raw': raw, 'line': line}]) as json) as cells
from syn_section2
where qualifier = 'ambiguous'
