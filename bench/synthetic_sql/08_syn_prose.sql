-- The prose figures of every report, each with the sentence it stands in and the line of that sentence:
-- the sentences are written from the figures (so a figure's raw text is in its sentence), and a figure a
-- report does not state is left out of both. Prose-era reports give requests, channels (with the online
-- share), outcome categories and review totals in sentences; templated reports give 主动公开 in the
-- overview and the NPC and CPPCC figures in section 六.
create or replace temp table syn_prose as
with v as (
    select
        p.*,
        l.l6,
        case when p.proactive is not null then
            cast(cast(p.proactive as bigint) as varchar) || case when p.proactive_approx then '余条' else '条' end
        end as proactive_raw,
        case when p.npc is not null and p.npc_draw < 0.8 then p.npc - case when p.npc_draw < 0.75 then 0 else 1 end end
            as npc_resolved,
        case when p.cppcc is not null and p.cppcc_draw < 0.8 then p.cppcc - case when p.cppcc_draw < 0.7 then 0 else 1 end end
            as cppcc_resolved,
        p.prose_new is not null and p.prose_new > 0 and p.prose_draw < 0.3 as has_channels,
        case when p.prose_new is not null and syn_u(p.report_id, 80) < 0.6 then floor(p.prose_new * 0.7) end as granted,
        case when p.prose_new is not null and syn_u(p.report_id, 81) < 0.25 then floor(p.prose_new * 0.1) end as partial,
        case when p.prose_new is not null and syn_u(p.report_id, 82) < 0.3 then floor(p.prose_new * 0.05) end as denied,
        case when p.prose_new is not null and syn_u(p.report_id, 83) < 0.2 then floor(p.prose_new * 0.08) end as unavailable,
        case when p.prose_new is not null and syn_u(p.report_id, 84) < 0.1 then floor(p.prose_new * 0.02) end
            as not_processed,
        case when p.prose_new is not null and syn_u(p.report_id, 85) < 0.4 then p.prose_new end as prose_handled
    from syn_prose_values as p
    left join syn_lines as l on p.template = l.template
),

counted as (
    select
        *,
        case when has_channels then floor(prose_new * 0.6) end as online,
        case when has_channels then floor(prose_new * 0.25) end as letter,
        case when has_channels then prose_new - floor(prose_new * 0.6) - floor(prose_new * 0.25) end as in_person,
        case when npc_draw < 0.4 and npc_resolved is not null then round(100 * npc_resolved / npc, 1)
            when npc_draw >= 0.8 and npc_draw < 0.9 then 100.0 end as npc_percent,
        case when cppcc_draw < 0.4 and cppcc_resolved is not null then round(100 * cppcc_resolved / cppcc, 1)
            when cppcc_draw >= 0.8 and cppcc_draw < 0.9 then 100.0 end as cppcc_percent
    from v
),

n as (
    -- each count as printed
    select
        *,
        cast(cast(prose_new as bigint) as varchar) || '件' as new_raw,
        cast(cast(online as bigint) as varchar) || '件' as online_raw,
        cast(cast(letter as bigint) as varchar) || '件' as letter_raw,
        cast(cast(in_person as bigint) as varchar) || '件' as in_person_raw,
        case when has_channels then round(100 * online / prose_new, 1) end as online_percent,
        cast(cast(granted as bigint) as varchar) || '件' as granted_raw,
        cast(cast(partial as bigint) as varchar) || '件' as partial_raw,
        cast(cast(denied as bigint) as varchar) || '件' as denied_raw,
        cast(cast(unavailable as bigint) as varchar) || '件' as unavailable_raw,
        cast(cast(not_processed as bigint) as varchar) || '件' as not_processed_raw,
        cast(cast(prose_handled as bigint) as varchar) || '件' as handled_raw,
        cast(cast(review_total as bigint) as varchar) || '件' as review_raw,
        cast(cast(litigation_total as bigint) as varchar) || '件' as litigation_raw,
        cast(cast(npc as bigint) as varchar) || '件' as npc_raw,
        cast(cast(npc_resolved as bigint) as varchar) || '件' as npc_resolved_raw,
        cast(cast(cppcc as bigint) as varchar) || '件' as cppcc_raw,
        cast(cast(cppcc_resolved as bigint) as varchar) || '件' as cppcc_resolved_raw,
        cast(cast(fee_yuan as bigint) as varchar) || '元' as fee_raw
    from counted
),

sentences as (
    select
        *,
        '本年度主动公开政府信息' || proactive_raw || '。' as proactive_sentence,
        '本年度共收到政府信息公开申请' || new_raw
        || coalesce(
            '，其中通过互联网申请' || online_raw || coalesce('，占总数的' || online_percent || '%', '')
            || '，信函申请' || letter_raw || '，当面申请' || in_person_raw,
            ''
        ) || '。' as requests_sentence,
        nullif(concat_ws(
            '，', '已办结' || handled_raw, '其中予以公开' || granted_raw, '部分公开' || partial_raw,
            '不予公开' || denied_raw, '无法提供' || unavailable_raw, '不予处理' || not_processed_raw
        ), '') || '。' as outcomes_sentence,
        '本年度收取信息处理费' || fee_raw || '。' as fee_sentence,
        nullif(concat_ws('，', '本年度发生政府信息公开行政复议' || review_raw, '行政诉讼' || litigation_raw), '') || '。'
            as review_sentence,
        nullif(concat_ws(
            '，',
            '承办人大代表建议' || npc_raw,
            '办结' || npc_resolved_raw,
            '办复率' || npc_percent || '%',
            '承办政协委员提案' || cppcc_raw,
            '办结' || cppcc_resolved_raw,
            '办复率' || cppcc_percent || '%'
        ), '') || '。' as deputies_sentence
    from n
),

placed as (
    -- the line of each sentence: fixed paragraphs in a prose report, the overview (4) and section 六 otherwise
    select
        *,
        template = 'prose' as is_prose,
        case when template = 'prose' then 6 else 4 end as proactive_line,
        case when template = 'prose' then 15 else l6 + 1 end as deputies_line,
        case when template = 'prose' then 11 else l6 + 1 end as fee_line,
        case when template = 'prose' then '二' else '一' end as proactive_section,
        case when template = 'prose' then '六' else '六' end as deputies_section,
        case
            when template = 'prose' then fee_sentence
            else concat_ws('', deputies_sentence, fee_sentence)
        end as section_six_sentence
    from sentences
),

rows as (
    select report_id, 'proactive.items' as metric, null as applicant, proactive as value, proactive_raw as raw,
        proactive_line as line, proactive_section as section, proactive_sentence as sentence, null as percent,
        case when proactive_approx then 'approx' end as qualifier
    from placed where proactive is not null
    union all
    select report_id, 'npc.suggestions', null, npc, npc_raw, deputies_line, deputies_section,
        case when is_prose then deputies_sentence else section_six_sentence end,
        case when npc_resolved is null then npc_percent end, null
    from placed where npc is not null
    union all
    select report_id, 'npc.resolved', null, npc_resolved, npc_resolved_raw, deputies_line, deputies_section,
        case when is_prose then deputies_sentence else section_six_sentence end, npc_percent, null
    from placed where npc_resolved is not null
    union all
    select report_id, 'cppcc.proposals', null, cppcc, cppcc_raw, deputies_line, deputies_section,
        case when is_prose then deputies_sentence else section_six_sentence end,
        case when cppcc_resolved is null then cppcc_percent end, null
    from placed where cppcc is not null
    union all
    select report_id, 'cppcc.resolved', null, cppcc_resolved, cppcc_resolved_raw, deputies_line, deputies_section,
        case when is_prose then deputies_sentence else section_six_sentence end, cppcc_percent, null
    from placed where cppcc_resolved is not null
    union all
    select report_id, 'fees.disclosure_charged_yuan', null, fee_yuan, fee_raw, fee_line,
        case when is_prose then '四' else '六' end,
        case when is_prose then fee_sentence else section_six_sentence end, null, null
    from placed where fee_yuan is not null
    union all
    select report_id, 'requests.new', 'total', prose_new, new_raw, 8, '三', requests_sentence, null, null
    from placed where prose_new is not null
    union all
    select report_id, 'channel.online', null, online, online_raw, 8, '三', requests_sentence, online_percent, null
    from placed where online is not null
    union all
    select report_id, 'channel.letter', null, letter, letter_raw, 8, '三', requests_sentence, null, null
    from placed where letter is not null
    union all
    select report_id, 'channel.in_person', null, in_person, in_person_raw, 8, '三', requests_sentence, null, null
    from placed where in_person is not null
    union all
    select report_id, 'outcome.total', 'total', prose_handled, handled_raw, 9, '三', outcomes_sentence, null, null
    from placed where prose_handled is not null
    union all
    select report_id, 'outcome.granted', 'total', granted, granted_raw, 9, '三', outcomes_sentence, null, null
    from placed where granted is not null
    union all
    select report_id, 'outcome.partial', 'total', partial, partial_raw, 9, '三', outcomes_sentence, null, null
    from placed where partial is not null
    union all
    select report_id, 'outcome.denied.unspecified', 'total', denied, denied_raw, 9, '三', outcomes_sentence, null, null
    from placed where denied is not null
    union all
    select report_id, 'outcome.unavailable.unspecified', 'total', unavailable, unavailable_raw, 9, '三',
        outcomes_sentence, null, null
    from placed where unavailable is not null
    union all
    select report_id, 'outcome.not_processed.unspecified', 'total', not_processed, not_processed_raw, 9, '三',
        outcomes_sentence, null, null
    from placed where not_processed is not null
    union all
    select report_id, 'review.total', null, review_total, review_raw, 13, '五', review_sentence, null, null
    from placed where review_total is not null
    union all
    select report_id, 'litigation.direct.total', null, litigation_total, litigation_raw, 13, '五', review_sentence,
        null, null
    from placed where litigation_total is not null
),

final as (
    select
        report_id,
        metric,
        cast(applicant as varchar) as applicant,
        cast(value as double) as value,
        raw,
        cast(line as integer) as line,
        section,
        sentence,
        cast(percent as double) as percent,
        cast(qualifier as varchar) as qualifier
    from rows
)

select * from final
