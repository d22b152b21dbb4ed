-- Every cell of the section 二 table of templated reports, by the template's own columns: counts
-- (log-normal, many zeros; a county or township makes no rules, so its rules row is mostly "/"), changes
-- (本年增/减, may be negative) and amounts (万元, two decimals). A few cells are printed "/" (NULL); in a few
-- rows the digits ran together and could not be split (value NULL, raw keeps the whole run, qualifier
-- ambiguous, and the parser's finding says so); a row of one cell has nothing to split.
create or replace temp table syn_section2 as
with cells as (
    select
        r.report_id,
        r.agency_level,
        r.mu,
        l.*,
        syn_u(r.report_id || l.metric, 30) as draw,
        l.n_cols > 1 and syn_u(r.report_id || l.row_label, 31) < 0.003 as glued,
        exp(l.mu + 0.5 * (r.mu - 2.6) + 0.8 * syn_z(r.report_id || l.metric, 32)) as size
    from syn_reports as r
    inner join syn_s2_layout as l on r.template = l.template
),

valued as (
    select
        *,
        case
            when draw < 0.05 then null
            when metric like 'rules.%' and agency_level in ('county', 'township') and draw < 0.5 then null
            when kind = 'change' then round(2.5 * syn_z(report_id || metric, 33))
            when syn_u(report_id || metric, 34) < zero then 0.0
            when kind = 'amount' then round(size, 2)
            else floor(size)
        end as stated
    from cells
),

printed as (
    select
        *,
        case when glued then null else stated end as value,
        case
            when kind = 'amount' then printf('%.2f', stated)
            else syn_count_text(stated, '')
        end as value_text
    from valued
),

final as (
    select
        report_id,
        metric,
        cast(null as varchar) as applicant,
        value,
        case
            when glued then string_agg(coalesce(value_text, ''), '' order by col_no) over (partition by report_id, row_label)
            when value is null then '/'
            else value_text
        end as raw,
        line,
        '二' as section,
        row_label,
        col_label,
        col_no + 1 as col_no,
        case when glued then 'ambiguous' end as qualifier
    from printed
)

select * from final
