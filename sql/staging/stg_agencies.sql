-- One row per agency with what its name says about it: its type (government, government office or
-- department) and its level (province, city, county/district, township). These are read from the
-- name until a supervising office imports its roster; the dashboard's filters and peer groups use them.
with names as (
    select
        agency,
        max(region) as region,
        max(parent) as parent,
        count(*) as reports,
        min(year) as first_year,
        max(year) as last_year
    from stg_reports_current
    group by agency
),

typed as (
    select
        *,
        case
            when regexp_matches(agency, '(人民政府|政府|管委会|管理委员会|行政公署)办公(室|厅)$') then 'office'
            when regexp_matches(agency, '(人民政府|管委会|管理委员会|行政公署|街道办事处)$') then 'government'
            else 'department'
        end as agency_type,
        -- the level of the place the agency serves: the last administrative unit in its name
        case
            when regexp_matches(agency, '(镇|乡|街道)') then 'township'
            when regexp_matches(agency, '(区|县|旗)') then 'county'
            when regexp_matches(agency, '(市|州|盟|地区)') then 'city'
            when regexp_matches(agency, '(省|自治区)') then 'province'
            else 'national'
        end as agency_level
    from names
),

final as (
    select
        *,
        agency_level || '/' || agency_type as peer_group
    from typed
)

select * from final
