-- Store the synthetic prose mentions in the real mentions table.
insert into mentions by name
select
    m.report_id,
    m.metric,
    m.applicant,
    m.value,
    m.raw,
    m.line,
    m.section,
    '' as row_label,
    '' as col_label,
    'prose' as kind,
    m.qualifier,
    m.sentence,
    m.percent,
    case r.source_format when 'text' then format('第{}行', m.line) when 'pdf' then '第1页' else '正文' end as location
from syn_mentions as m
inner join syn_reports as r on m.report_id = r.report_id
