-- One row per current report with its agency's attributes and the headline figures that the 总览, 申请趋势
-- and 办理结果 pages aggregate, stored at ingest so that those pages read one narrow row per report instead
-- of the figures of every report. Figures are taken as fct_values holds them, reviewers' corrections
-- applied: section 三 figures (requests.*, outcome.*, which always name their column) from the 总计 column,
-- the others, which name none, as they are. A sum over figures none of which is stated stays null, never
-- 0; the *_rows counts say how many figures a report prints for a block, stated or not, so that a page
-- can tell a printed blank from a block the report leaves out.
with reports as (
    select
        r.report_id,
        r.agency,
        r.year,
        r.template,
        a.region,
        a.agency_level,
        a.agency_type,
        a.peer_group
    from stg_reports_current as r
    inner join stg_agencies as a on r.agency = a.agency
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
        -- 复议诉讼: the five figures of each block of section 四 as printed, and how many the report prints
        any_value(value) filter (where metric = 'review.maintained') as review_maintained,
        any_value(value) filter (where metric = 'review.corrected') as review_corrected,
        any_value(value) filter (where metric = 'review.other') as review_other,
        any_value(value) filter (where metric = 'review.pending') as review_pending,
        any_value(value) filter (where metric = 'review.total') as review_total,
        count(*) filter (where metric like 'review.%') as review_rows,
        any_value(value) filter (where metric = 'litigation.direct.maintained') as direct_maintained,
        any_value(value) filter (where metric = 'litigation.direct.corrected') as direct_corrected,
        any_value(value) filter (where metric = 'litigation.direct.other') as direct_other,
        any_value(value) filter (where metric = 'litigation.direct.pending') as direct_pending,
        any_value(value) filter (where metric = 'litigation.direct.total') as direct_total,
        count(*) filter (where metric like 'litigation.direct.%') as direct_rows,
        any_value(value) filter (where metric = 'litigation.after_review.maintained') as after_review_maintained,
        any_value(value) filter (where metric = 'litigation.after_review.corrected') as after_review_corrected,
        any_value(value) filter (where metric = 'litigation.after_review.other') as after_review_other,
        any_value(value) filter (where metric = 'litigation.after_review.pending') as after_review_pending,
        any_value(value) filter (where metric = 'litigation.after_review.total') as after_review_total,
        count(*) filter (where metric like 'litigation.after_review.%') as after_review_rows,
        -- 主动公开: how many of its figures the report prints, stated or not
        count(*) filter (where is_proactive) as proactive_rows,
        -- 建议提案: NPC suggestions and CPPCC proposals handled, the rate stated beside them, and where each
        -- kind was read (a report states each key once, so a kind has at most two sources: the first and
        -- the last of them in order are its distinct sources)
        any_value(value) filter (where metric = 'npc.suggestions') as npc_received,
        any_value(value) filter (where metric = 'npc.resolved') as npc_resolved,
        coalesce(
            any_value(percent) filter (where metric = 'npc.resolved'),
            any_value(percent) filter (where metric = 'npc.suggestions')
        ) as npc_stated_rate,
        any_value(value) filter (where metric = 'cppcc.proposals') as cppcc_received,
        any_value(value) filter (where metric = 'cppcc.resolved') as cppcc_resolved,
        coalesce(
            any_value(percent) filter (where metric = 'cppcc.resolved'),
            any_value(percent) filter (where metric = 'cppcc.proposals')
        ) as cppcc_stated_rate,
        min(source) filter (where metric like 'npc.%') as npc_first_source,
        max(source) filter (where metric like 'npc.%') as npc_last_source,
        min(source) filter (where metric like 'cppcc.%') as cppcc_first_source,
        max(source) filter (where metric like 'cppcc.%') as cppcc_last_source,
        count(*) filter (
            where metric in ('npc.suggestions', 'npc.resolved', 'cppcc.proposals', 'cppcc.resolved')
        ) as proposal_rows
    from headline
    group by report_id
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

final as (
    select
        r.*,
        -- the report's place in (agency, year) order: pages list reports in that order, and sorting a
        -- hundred thousand rows by one integer is several times faster than by the agency's name
        row_number() over (order by r.agency, r.year) as report_order,
        s.next_year,
        coalesce(p.stated, 0) as stated,
        p.* exclude (
            report_id, stated, request_rows, outcome_rows, review_rows, direct_rows, after_review_rows,
            proactive_rows, proposal_rows, npc_first_source, npc_last_source, cppcc_first_source, cppcc_last_source
        ),
        case
            when p.npc_first_source = p.npc_last_source then p.npc_first_source
            else p.npc_first_source || ' ｜ ' || p.npc_last_source
        end as npc_source,
        case
            when p.cppcc_first_source = p.cppcc_last_source then p.cppcc_first_source
            else p.cppcc_first_source || ' ｜ ' || p.cppcc_last_source
        end as cppcc_source,
        coalesce(p.request_rows, 0) as request_rows,
        coalesce(p.outcome_rows, 0) as outcome_rows,
        coalesce(p.review_rows, 0) as review_rows,
        coalesce(p.direct_rows, 0) as direct_rows,
        coalesce(p.after_review_rows, 0) as after_review_rows,
        coalesce(p.proactive_rows, 0) as proactive_rows,
        coalesce(p.proposal_rows, 0) as proposal_rows
    from reports as r
    left join per_report as p on r.report_id = p.report_id
    left join series as s on r.report_id = s.report_id
)

select * from final
order by year, agency
