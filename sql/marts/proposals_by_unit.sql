-- The 建议提案 page: NPC deputies' suggestions (人大代表建议) and CPPCC members' proposals (政协委员提案)
-- each agency handled per year, the numbers resolved, and the handling rate a report states in words
-- (e.g. 办复率100%). fct_values does not carry the stated rate, so it is read from stg_figures, filtered
-- by metric first so that only these few prose figures are joined. A figure the report does not state
-- stays null: the page computes resolved / received only where both are stated.
with selected as (
    select report_id, agency, year, template, metric, value, raw, line
    from fct_values
    where
        metric in ('npc.suggestions', 'npc.resolved', 'cppcc.proposals', 'cppcc.resolved')
        and applicant = ''
        and in_selection(
            region, agency_level, agency_type, agency, year,
            $regions, $levels, $types, $agencies, $year_from, $year_to
        )
),

stated as (
    -- the rate printed beside a figure and the sentence it came from
    select report_id, metric, percent, sentence
    from stg_figures
    where metric in ('npc.suggestions', 'npc.resolved', 'cppcc.proposals', 'cppcc.resolved')
),

figures as (
    select
        s.*,
        t.percent,
        format('第{}行：{}', s.line, coalesce(t.sentence, s.raw)) as source
    from selected as s
    left join stated as t on s.report_id = t.report_id and s.metric = t.metric
),

per_report as (
    select
        agency,
        year,
        any_value(template) as template,
        max(value) filter (where metric = 'npc.suggestions') as npc_received,
        max(value) filter (where metric = 'npc.resolved') as npc_resolved,
        -- a rate printed beside the resolved count is the handling rate; beside the received count, too
        coalesce(
            max(percent) filter (where metric = 'npc.resolved'),
            max(percent) filter (where metric = 'npc.suggestions')
        ) as npc_stated_rate,
        max(value) filter (where metric = 'cppcc.proposals') as cppcc_received,
        max(value) filter (where metric = 'cppcc.resolved') as cppcc_resolved,
        coalesce(
            max(percent) filter (where metric = 'cppcc.resolved'),
            max(percent) filter (where metric = 'cppcc.proposals')
        ) as cppcc_stated_rate,
        string_agg(distinct source, ' ｜ ' order by source) filter (where metric like 'npc.%') as npc_source,
        string_agg(distinct source, ' ｜ ' order by source) filter (where metric like 'cppcc.%') as cppcc_source
    from figures
    group by agency, year
),

final as (
    select * from per_report
)

select * from final
order by agency, year
