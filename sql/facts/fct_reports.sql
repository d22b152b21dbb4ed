-- One row per current report with its agency's attributes and the headline figures that the 总览, 申请趋势
-- and 办理结果 pages aggregate, stored at ingest so that those pages read one narrow row per report instead
-- of the figures of every report. Figures are taken as fct_values holds them, reviewers' corrections
-- applied: section 三 figures (requests.*, outcome.*, which always name their column) from the 总计 column,
-- the others, which name none, as they are. A sum over figures none of which is stated stays null, never
-- 0; the *_rows counts (and `printed` in each block of section 四: review, direct, after_review) say how
-- many figures a report prints for a block, stated or not, so that a page can tell a printed blank from a
-- block the report leaves out.
--
-- Every rate is defined here, once, per report (as_rate: NULL when a side is unstated or the denominator is 0),
-- beside the numerator and denominator it divides; a selection's rates pool the same columns (pooled_rate):
--   disclosure_rate     实质公开率   (予以公开 + 部分公开) / 办理总计, both categories stated (disclosure_num)
--   granted_rate        予以公开率   予以公开 / 办理总计; likewise partial_rate (部分公开率), denied_rate
--                       (不予公开率), unavailable_rate (无法提供率), not_processed_rate (不予处理率), other_rate
--                       (其他处理率): the category (sum of its stated rows) over the printed （七）总计
--   closure_rate        办结率       办理总计 / (本年新收 + 上年结转) (closure_den), all three stated
--   review_correction_rate      行政复议纠错率  结果纠正 / 已审结 of the 行政复议 block
--   litigation_correction_rate  行政诉讼纠错率  the same over both 行政诉讼 blocks (直接起诉, 复议后起诉)
--   correction_rate             复议诉讼纠错率  the same over all three blocks
--   npc_rate / cppcc_rate       建议办理率 / 提案办理率  办结 / 承办 of NPC suggestions / CPPCC proposals
-- The correction rates count only blocks that counted_block counts: a block that breaks R4 (chk_review_blocks_add_up) or
-- leaves 结果纠正, 总计 or 尚未审结 unstated adds nothing (corr_*_num / corr_*_den stay NULL without one).
--
-- unit, parent and ancestors place the report in the roster's tree (stg_agencies, roster_units): ancestors are
-- the units above it, so that a total over a selection can leave out a report its superior's report already
-- covers (selected_reports).
with reports as (
    -- every current report with its agency's attributes and report_order
    select * from stg_report_agencies
),

proactive_keys as (
    -- what the 主动公开 page reads: the section 二 keys of both templates (the crosswalk) and the prose count
    select key_2021 as metric from stg_crosswalk where key_2021 is not null
    union
    select key_2019 from stg_crosswalk where key_2019 is not null
    union
    select 'proactive.items'
),

headline as (
    -- the figures of the 总计 column (section 三) or of no column (the rest), as the overview reads them
    select
        f.report_id,
        f.metric,
        coalesce(f.applicant, '') as applicant,
        f.value,
        f.kind,
        f.line,
        f.percent,
        -- where a prose figure was read: its line and sentence (建议提案 shows it beside the figure)
        case
            when f.metric like 'npc.%' or f.metric like 'cppcc.%'
                then format('第{}行：{}', f.line, coalesce(f.sentence, f.raw))
        end as source,
        case when f.metric like 'outcome.%' then split_part(f.metric, '.', 2) end as category,
        k.metric is not null as is_proactive
    from stg_figures_corrected as f
    inner join reports as r on f.report_id = r.report_id
    left join proactive_keys as k on f.metric = k.metric
    where
        case
            when f.metric like 'requests.%' or f.metric like 'outcome.%' then f.applicant = 'total'
            else f.applicant is null
        end
),

per_report as (
    select
        report_id,
        count(value) as stated,  -- figures with a number: a report without any is not counted as reporting
        -- 总览
        sum(value) filter (where metric = 'requests.new') as requests_new,
        sum(value) filter (where metric = 'outcome.total') as handled,
        sum(value) filter (where metric in ('outcome.granted', 'outcome.partial')) as disclosed,
        sum(value) filter (where metric like '%.corrected' and metric not like 'outcome.%') as corrected,
        sum(value) filter (where metric like '%.total' and metric not like 'outcome.%') as cases,
        sum(value) filter (where metric like '%.pending' and metric not like 'outcome.%') as pending,
        -- 申请趋势: the 总计 figures and where 本年新收 was printed (kind and line even when it is blank)
        any_value(value) filter (where metric = 'requests.carried_over') as carried_over,
        any_value(value) filter (where metric = 'requests.carried_forward') as carried_forward,
        any_value(kind) filter (where metric = 'requests.new') as requests_new_kind,
        any_value(line) filter (where metric = 'requests.new') as requests_new_line,
        count(*) filter (where metric in ('requests.new', 'requests.carried_over', 'requests.carried_forward'))
            as request_rows,
        -- 办理结果: each outcome category of the 总计 column, the sum of its stated rows
        sum(value) filter (where category = 'granted') as granted,
        sum(value) filter (where category = 'partial') as partial,
        sum(value) filter (where category = 'denied') as denied,
        sum(value) filter (where category = 'unavailable') as unavailable,
        sum(value) filter (where category = 'not_processed') as not_processed,
        sum(value) filter (where category = 'other') as other,
        count(category) as outcome_rows,
        -- 复议诉讼: each block of section 四, its five figures as printed and how many the report prints
        block_figures(metric, value, 'review') as review,
        block_figures(metric, value, 'litigation.direct') as direct,
        block_figures(metric, value, 'litigation.after_review') as after_review,
        -- 主动公开: how many of its figures the report prints, stated or not
        count(*) filter (where is_proactive) as proactive_rows,
        -- 建议提案: NPC suggestions and CPPCC proposals handled, the rate stated beside them and where each
        -- kind was read
        proposal_figures(metric, value, percent, source, 'npc.suggestions', 'npc.resolved') as npc,
        proposal_figures(metric, value, percent, source, 'cppcc.proposals', 'cppcc.resolved') as cppcc,
        count(*) filter (
            where metric in ('npc.suggestions', 'npc.resolved', 'cppcc.proposals', 'cppcc.resolved')
        ) as proposal_rows
    from headline
    group by report_id
),

r4_blocks as (
    -- the blocks of section 四 that break R4, as the check finds them
    select distinct report_id, block
    from chk_review_blocks_add_up
),

edges as (
    -- each unit and the unit it answers to: the roster's links, else what the agency's name and reports say
    select distinct unit, parent from stg_agencies where parent is not null and parent <> unit
    union
    select unit, parent from roster_units where parent is not null and parent <> unit
),

chain as (
    -- every unit above each unit, however far up (a loop in a hand-edited roster stops at ten steps)
    with recursive up (unit, ancestor, depth) as (
        select unit, parent, 1 from edges
        union all
        select u.unit, e.parent, u.depth + 1
        from up as u
        inner join edges as e on u.ancestor = e.unit
        where u.depth < 10
    )
    select unit, list(distinct ancestor order by ancestor) as ancestors
    from up
    group by unit
),

series as (
    -- the year of the agency's next annual report (a work plan is not one), so that 申请趋势 can show the
    -- years between two reports as gaps without reading the whole series again
    select
        report_id,
        lead(year) over (partition by agency order by year) as next_year
    from reports
    where template is distinct from 'workplan'
),

counted as (
    -- each block with what it adds to the correction rates (counted_block: R4 and unstated figures decided there)
    select
        r.*,
        s.next_year,
        a.unit,
        a.parent,
        coalesce(c.ancestors, []) as ancestors,
        coalesce(p.stated, 0) as stated,
        p.* exclude (
            report_id, stated, request_rows, outcome_rows, proactive_rows, proposal_rows, review, direct, after_review
        ),
        coalesce(p.request_rows, 0) as request_rows,
        coalesce(p.outcome_rows, 0) as outcome_rows,
        coalesce(p.proactive_rows, 0) as proactive_rows,
        coalesce(p.proposal_rows, 0) as proposal_rows,
        counted_block(p.review, r4r.block is not null) as review,
        counted_block(p.direct, r4d.block is not null) as direct,
        counted_block(p.after_review, r4a.block is not null) as after_review
    from reports as r
    inner join stg_agencies as a on r.agency = a.agency
    left join chain as c on a.unit = c.unit
    left join per_report as p on r.report_id = p.report_id
    left join series as s on r.report_id = s.report_id
    left join r4_blocks as r4r on r.report_id = r4r.report_id and r4r.block = 'review'
    left join r4_blocks as r4d on r.report_id = r4d.report_id and r4d.block = 'litigation.direct'
    left join r4_blocks as r4a on r.report_id = r4a.report_id and r4a.block = 'litigation.after_review'
),

parts as (
    -- the numerator and denominator of each rate that is not a single stored column
    select
        *,
        granted + partial as disclosure_num,
        requests_new + carried_over as closure_den,
        review.counted_corrected as corr_review_num,
        review.counted_concluded as corr_review_den,
        -- a sum over the blocks that count; NULL when none does (list_sum skips NULLs)
        list_sum([direct.counted_corrected, after_review.counted_corrected]) as corr_litigation_num,
        list_sum([direct.counted_concluded, after_review.counted_concluded]) as corr_litigation_den,
        list_sum([review.counted_corrected, direct.counted_corrected, after_review.counted_corrected]) as corr_num,
        list_sum([review.counted_concluded, direct.counted_concluded, after_review.counted_concluded]) as corr_den
    from counted
),

final as (
    select
        *,
        as_rate(disclosure_num, handled) as disclosure_rate,
        as_rate(granted, handled) as granted_rate,
        as_rate(partial, handled) as partial_rate,
        as_rate(denied, handled) as denied_rate,
        as_rate(unavailable, handled) as unavailable_rate,
        as_rate(not_processed, handled) as not_processed_rate,
        as_rate(other, handled) as other_rate,
        as_rate(handled, closure_den) as closure_rate,
        as_rate(corr_review_num, corr_review_den) as review_correction_rate,
        as_rate(corr_litigation_num, corr_litigation_den) as litigation_correction_rate,
        as_rate(corr_num, corr_den) as correction_rate,
        as_rate(npc.resolved, npc.received) as npc_rate,
        as_rate(cppcc.resolved, cppcc.received) as cppcc_rate
    from parts
)

select * from final
order by year, agency
