-- Store the synthetic reports in the real reports table, with their text.
insert into reports by name
select
    r.report_id,
    r.agency,
    r.year,
    r.template,
    r.region,
    r.parent,
    r.published_on,
    r.source,
    'synthetic/' || r.source as source_path,
    r.source_format,
    r.encoding,
    r.content_hash,
    r.version,
    cast(now() as timestamp) as ingested_at,
    r.sections,
    t.text
from syn_reports as r
left join syn_text as t on r.report_id = t.report_id
