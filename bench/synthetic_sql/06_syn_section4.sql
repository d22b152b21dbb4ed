-- Every cell of the section 四 table of templated reports: per block (行政复议, 未经复议直接起诉, 复议后起诉) a
-- log-normal total far below the requests (most blocks are 0), split over 结果维持, 结果纠正 and 其他结果 with
-- 尚未审结 taking what is left, so that R4 holds; then a few printed totals that do not add up (R4).
create or replace temp table syn_section4 as
with blocks as (
    select distinct
        r.report_id,
        r.mu,
        l.template,
        l.block
    from syn_reports as r
    inner join syn_s4_layout as l on r.template = l.template
),

totals as (
    select
        b.*,
        case
            when syn_u(b.report_id || b.block, 40) < 0.5 then 0.0
            else floor(exp(b.mu - l.block_offset + 0.8 * syn_z(b.report_id || b.block, 41)))
        end as total
    from blocks as b
    inner join (select distinct template, block, block_offset from syn_s4_layout) as l
        on b.template = l.template and b.block = l.block
),

parts as (
    select
        t.report_id,
        t.total,
        l.*,
        case
            when l.part in ('maintained', 'corrected', 'other')
                then floor(t.total * l.share * exp(0.7 * syn_z(t.report_id || l.metric, 42)) / 0.85)
        end as draft
    from totals as t
    inner join syn_s4_layout as l on t.template = l.template and t.block = l.block
),

bounded as (
    -- the three results may not exceed the total: scale them down where the draws overshoot
    select
        *,
        sum(draft) over (partition by report_id, block) as drafted
    from parts
),

valued as (
    select
        *,
        case
            when part = 'total' then total + case when syn_u(report_id || block, 43) < 0.01 then 1 else 0 end
            when part = 'pending' then total - least(drafted, total)
            when drafted > total then floor(draft * total / drafted)
            else draft
        end as settled
    from bounded
),

fixed as (
    -- rounding down may leave a case unplaced: 尚未审结 takes it
    select
        *,
        case
            when part = 'pending' then total - sum(settled) filter (where part in ('maintained', 'corrected', 'other'))
                over (partition by report_id, block)
            else settled
        end as value
    from valued
),

final as (
    select
        report_id,
        metric,
        cast(null as varchar) as applicant,
        value,
        syn_count_text(value, '') as raw,
        line,
        '四' as section,
        row_label,
        col_label,
        col_no + 1 as col_no,
        cast(null as varchar) as qualifier
    from fixed
)

select * from final
