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
        case when p.proactive_approx then '余条' else '条' end as proactive_unit,
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

shares as (
    select
        *,
        case when has_channels then round(100 * online / prose_new, 1) end as online_percent
    from counted
),

sentences as (
    -- every count is printed as a whole number with its unit (syn_count_text), here and as the figure's raw text
    select
        *,
        '本年度主动公开政府信息' || syn_count_text(proactive, proactive_unit) || '。' as proactive_sentence,
        '本年度共收到政府信息公开申请' || syn_count_text(prose_new, '件')
        || coalesce(
            '，其中通过互联网申请' || syn_count_text(online, '件') || coalesce('，占总数的' || online_percent || '%', '')
            || '，信函申请' || syn_count_text(letter, '件') || '，当面申请' || syn_count_text(in_person, '件'),
            ''
        ) || '。' as requests_sentence,
        nullif(concat_ws(
            '，',
            '已办结' || syn_count_text(prose_handled, '件'),
            '其中予以公开' || syn_count_text(granted, '件'),
            '部分公开' || syn_count_text(partial, '件'),
            '不予公开' || syn_count_text(denied, '件'),
            '无法提供' || syn_count_text(unavailable, '件'),
            '不予处理' || syn_count_text(not_processed, '件')
        ), '') || '。' as outcomes_sentence,
        '本年度收取信息处理费' || syn_count_text(fee_yuan, '元') || '。' as fee_sentence,
        nullif(concat_ws(
            '，',
            '本年度发生政府信息公开行政复议' || syn_count_text(review_total, '件'),
            '行政诉讼' || syn_count_text(litigation_total, '件')
        ), '') || '。' as review_sentence,
        nullif(concat_ws(
            '，',
            '承办人大代表建议' || syn_count_text(npc, '件'),
            '办结' || syn_count_text(npc_resolved, '件'),
            '办复率' || npc_percent || '%',
            '承办政协委员提案' || syn_count_text(cppcc, '件'),
            '办结' || syn_count_text(cppcc_resolved, '件'),
            '办复率' || cppcc_percent || '%'
        ), '') || '。' as deputies_sentence
    from shares
),

placed as (
    -- the line of each sentence: fixed paragraphs in a prose report, the overview (4) and section 六 otherwise;
    -- a templated report states its NPC, CPPCC and fee figures together in section 六
    select
        *,
        case when template = 'prose' then 6 else 4 end as proactive_line,
        case when template = 'prose' then 15 else l6 + 1 end as deputies_line,
        case when template = 'prose' then 11 else l6 + 1 end as fee_line,
        case when template = 'prose' then '二' else '一' end as proactive_section,
        case when template = 'prose' then '四' else '六' end as fee_section,
        case when template = 'prose' then deputies_sentence else concat_ws('', deputies_sentence, fee_sentence) end
            as deputies_text,
        case when template = 'prose' then fee_sentence else concat_ws('', deputies_sentence, fee_sentence) end
            as fee_text
    from sentences
),

rows as (
    -- one row per figure: the report's figures laid out as rows with the unit they are printed with, those it
    -- does not state left out
    select p.report_id, f.*
    from placed as p
    cross join lateral (
        values
            ('proactive.items', null, p.proactive, p.proactive_unit, p.proactive_line, p.proactive_section,
                p.proactive_sentence, null, case when p.proactive_approx then 'approx' end),
            ('npc.suggestions', null, p.npc, '件', p.deputies_line, '六', p.deputies_text,
                case when p.npc_resolved is null then p.npc_percent end, null),
            ('npc.resolved', null, p.npc_resolved, '件', p.deputies_line, '六', p.deputies_text, p.npc_percent, null),
            ('cppcc.proposals', null, p.cppcc, '件', p.deputies_line, '六', p.deputies_text,
                case when p.cppcc_resolved is null then p.cppcc_percent end, null),
            ('cppcc.resolved', null, p.cppcc_resolved, '件', p.deputies_line, '六', p.deputies_text, p.cppcc_percent,
                null),
            ('fees.disclosure_charged_yuan', null, p.fee_yuan, '元', p.fee_line, p.fee_section, p.fee_text, null, null),
            ('requests.new', 'total', p.prose_new, '件', 8, '三', p.requests_sentence, null, null),
            ('channel.online', null, p.online, '件', 8, '三', p.requests_sentence, p.online_percent, null),
            ('channel.letter', null, p.letter, '件', 8, '三', p.requests_sentence, null, null),
            ('channel.in_person', null, p.in_person, '件', 8, '三', p.requests_sentence, null, null),
            ('outcome.total', 'total', p.prose_handled, '件', 9, '三', p.outcomes_sentence, null, null),
            ('outcome.granted', 'total', p.granted, '件', 9, '三', p.outcomes_sentence, null, null),
            ('outcome.partial', 'total', p.partial, '件', 9, '三', p.outcomes_sentence, null, null),
            ('outcome.denied.unspecified', 'total', p.denied, '件', 9, '三', p.outcomes_sentence, null, null),
            ('outcome.unavailable.unspecified', 'total', p.unavailable, '件', 9, '三', p.outcomes_sentence, null, null),
            ('outcome.not_processed.unspecified', 'total', p.not_processed, '件', 9, '三', p.outcomes_sentence, null,
                null),
            ('review.total', null, p.review_total, '件', 13, '五', p.review_sentence, null, null),
            ('litigation.direct.total', null, p.litigation_total, '件', 13, '五', p.review_sentence, null, null)
    ) as f (metric, applicant, value, unit, line, section, sentence, percent, qualifier)
    where f.value is not null
),

final as (
    select
        report_id,
        metric,
        cast(applicant as varchar) as applicant,
        cast(value as double) as value,
        syn_count_text(value, unit) as raw,
        cast(line as integer) as line,
        section,
        sentence,
        cast(percent as double) as percent,
        cast(qualifier as varchar) as qualifier
    from rows
)

select * from final
