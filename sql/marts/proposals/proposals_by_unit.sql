-- The 建议提案 page: NPC deputies' suggestions (人大代表建议) and CPPCC members' proposals (政协委员提案)
-- each agency handled per year, the numbers resolved, the handling rate a report states in words
-- (e.g. 办复率100%) and the sentences each figure was read from. fct_reports holds all of it per report,
-- so the page reads one row per report that prints any of these figures. A figure the report does not
-- state stays null. The handling rates (建议办理率 npc_rate, 提案办理率 cppcc_rate: resolved / received, NULL
-- unless both are stated and received is not 0) are fct_reports' columns, defined there once.
with selected as (
    select *
    from fct_reports
    where
        proposal_rows > 0
        and in_selection(
            region, agency_level, agency_type, agency, year,
            $regions, $levels, $types, $agencies, $year_from, $year_to
        )
),

final as (
    select
        agency,
        year,
        template,
        npc.received as npc_received,
        npc.resolved as npc_resolved,
        npc.stated_rate as npc_stated_rate,
        npc_rate,
        cppcc.received as cppcc_received,
        cppcc.resolved as cppcc_resolved,
        cppcc.stated_rate as cppcc_stated_rate,
        cppcc_rate,
        npc.source as npc_source,
        cppcc.source as cppcc_source,
        report_order
    from selected
)

select * exclude (report_order) from final
order by report_order  -- the (agency, year) order
