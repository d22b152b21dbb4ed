-- One row per current report with its agency's attributes and the headline figures that the 总览, 申请趋势
-- and 办理结果 pages aggregate, stored at ingest so that those pages read one narrow row per report instead
-- of the figures of every report. Figures are taken as fct_values holds them, reviewers' corrections
-- applied: section 三 figures (requests.*, outcome.*, which always name their column) from the 总计 column,
-- the others, which name none, as they are. A sum over figures none of which is stated stays null, never
-- 0; the *_rows counts (and `printed` in each block of section 四: review, direct, after_review) say how
-- many figures a report prints for a block, stated or not, so that a page can tell a printed blank from a
-- block the report leaves out.
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
        s.next_year,
        coalesce(p.stated, 0) as stated,
        p.* exclude (report_id, stated, request_rows, outcome_rows, proactive_rows, proposal_rows),
        coalesce(p.request_rows, 0) as request_rows,
        coalesce(p.outcome_rows, 0) as outcome_rows,
        coalesce(p.proactive_rows, 0) as proactive_rows,
        coalesce(p.proposal_rows, 0) as proposal_rows
    from reports as r
    left join per_report as p on r.report_id = p.report_id
    left join series as s on r.report_id = s.report_id
)

select * from final
order by year, agency
