-- One stored report (any version) by its id: who published it for which year, how it reached us,
-- and its normalised text, which the figures' line numbers refer to. The template the year calls
-- for is worked out as in check R8 (prose up to 2018, the 2019 template for 2019–2020, the 2021
-- template from 2021 on), so the page can warn about a mismatch on older versions too, which the
-- checks skip. The sidebar selection does not apply: the page asked for this report by name.
with chosen as (
    select *
    from reports
    where report_id = $report_id
),

siblings as (
    -- all versions of the same agency and year, to say which version this is out of how many (a report
    -- without an agency or a year is a version of nothing but itself)
    select
        count(*) as n_versions,
        max(r.version) as latest_version
    from reports as r
    inner join chosen as c on r.report_id = c.report_id or (r.agency = c.agency and r.year = c.year)
),

final as (
    select
        c.report_id,
        c.agency,
        c.year,
        c.template,
        case
            when c.year is null then null
            when c.year < 2019 then 'prose'
            when c.year <= 2020 then '2019'
            else '2021'
        end as expected_template,
        c.region,
        c.parent,
        c.published_on,
        c.source,
        c.source_format,
        c.encoding,
        c.version,
        s.latest_version,
        s.n_versions,
        c.content_hash,
        c.ingested_at,
        c.sections,
        c.text
    from chosen as c
    cross join siblings as s
)

select * from final
