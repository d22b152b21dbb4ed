-- The synthetic reports: agencies drawn from the pool in a seeded order, each reporting every year from its
-- first year to 2025 except for a few gaps, until $n_reports current reports exist. More agencies start late
-- than early, so recent years hold more reports, as in real collections. A few reports were replaced by a
-- corrected text (version 2), and the first text stays as version 1.
create or replace temp table syn_reports as
with pool as (
    select
        *,
        syn_u(agency, $seed) as pick,
        2008 + least(17, cast(floor(18 * sqrt(syn_u(agency, $seed + 1))) as integer)) as first_year,
        size + 0.5 * syn_z(agency, $seed + 2) as agency_size  -- a large agency stays large year after year
    from syn_agencies
),

agency_years as (
    select p.*, y.year
    from pool as p
    cross join range(2008, 2026) as y (year)
    where
        y.year >= p.first_year
        and syn_u(p.agency || y.year, $seed + 3) >= 0.04  -- a year without a report leaves a gap
),

numbered as (
    select
        *,
        row_number() over (order by pick, agency, year) as report_no,
        md5(concat_ws('|', 'synthetic', agency, year, $seed)) as report_key
    from agency_years
),

chosen as (
    select
        *,
        case
            when syn_u(report_key, 1) < 0.003 then 'workplan'  -- a work plan filed as a report
            when year < 2019 then 'prose'
            when year <= 2020 then '2019'
            when syn_u(report_key, 2) < 0.03 then '2019'  -- an old template after 2021: R8
            else '2021'
        end as template,
        case when syn_u(report_key, 4) < 0.02 then 2 else 1 end as current_version,
        case
            when syn_u(report_key, 5) < 0.35 then 'text'
            when syn_u(report_key, 5) < 0.65 then 'html'
            when syn_u(report_key, 5) < 0.85 then 'pdf'
            when syn_u(report_key, 5) < 0.95 then 'docx'
            when syn_u(report_key, 5) < 0.98 then 'xlsx'
            else 'collection'
        end as source_format,
        agency_size + 0.04 * (year - 2015) + 0.3 * syn_z(report_key, 6) as mu
    from numbered
    where report_no <= $n_reports
),

versions as (
    select *, current_version as version, true as is_current
    from chosen
    union all
    select *, 1 as version, false as is_current
    from chosen
    where current_version = 2
),

final as (
    select
        substr(md5(report_key || version), 1, 16) as report_id,
        sha256(report_key || version) as content_hash,
        report_no,
        agency,
        year,
        template,
        region,
        parent,
        agency_level,
        agency_type,
        version,
        is_current,
        source_format,
        mu,
        make_date(
            year + 1, 1 + cast(floor(3 * syn_u(report_key, 7)) as integer), 1 + cast(floor(28 * syn_u(report_key, 8)) as integer)
        ) as published_on,
        format(
            'synthetic-{:07d}-{}-v{}.{}',
            report_no,
            year,
            version,
            case source_format when 'text' then 'txt' when 'collection' then 'xlsx' when 'html' then 'html' else source_format end
        ) as source,
        case
            when source_format not in ('text', 'html') then null
            when syn_u(report_key, 9) < 0.2 then 'gb18030'
            else 'utf-8'
        end as encoding,
        case
            when template = 'workplan' or source_format = 'collection' then []::varchar[]
            when template = 'prose' then ['一', '二', '三', '四', '五', '六']
            when syn_u(report_key, 10) < 0.01 then ['一', '二', '三', '四', '六']  -- section 五 left out: R8
            else ['一', '二', '三', '四', '五', '六']
        end as sections
    from versions
)

select * from final
