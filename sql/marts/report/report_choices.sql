-- The reports the 报告详情 page offers in its picker: every stored version (older ones too, since
-- the page shows history) of the reports in the sidebar selection, plus the one the URL names even
-- when the selection leaves it out, because a link from another page must open its report. Only
-- the metadata columns are read, never the text. The newest version comes first within an agency
-- and year; $max_rows caps what a selectbox has to carry on a very large database, and $search (null or blank:
-- every report) keeps the reports whose unit, year (e.g. 2021年) or file name holds every word of it. A report stored
-- without an agency or a year is offered whatever the selection (which cannot place it) and is a version
-- of nothing but itself. Annual reports come before work plans (工作要点), so that the page opens on an annual
-- report when the URL names none.
with versions as (
    select
        report_id,
        agency,
        year,
        version,
        template,
        source,
        max(version) over (
            partition by agency, year, case when agency is null or year is null then report_id end
        ) as latest_version
    from reports
),

with_agency as (
    select
        v.*,
        a.region,
        a.agency_level,
        a.agency_type
    from versions as v
    left join stg_agencies as a on v.agency = a.agency
),

chosen as (
    select
        v.*,
        coalesce(v.report_id = $report_id, false) as is_requested
    from with_agency as v
    where
        v.report_id = $report_id
        or (
            (
                v.agency is null
                or v.year is null
                or in_selection(
                    v.region, v.agency_level, v.agency_type, v.agency, v.year,
                    $regions, $levels, $types, $agencies, $year_from, $year_to
                )
            )
            and holds_every_word(concat_ws(' ', v.agency, v.year || '年', v.source), $search::varchar)
        )
),

final as (
    select
        report_id,
        agency,
        year,
        version,
        version = latest_version as is_current,
        template,
        source,
        is_requested
    from chosen
)

select * from final
order by is_requested desc, template is not distinct from 'workplan', agency, year desc, version desc
limit $max_rows
