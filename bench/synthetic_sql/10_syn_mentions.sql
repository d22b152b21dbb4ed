-- Every figure mentioned in the prose, as the parser stores them: the prose figures themselves, the counts
-- the overview sentence repeats from the table (R5 holds them against it) and a government's figure for its
-- own level (qualifier government_level; R7 holds it against its office's report).
create or replace temp table syn_mentions as
with overview as (
    select report_id, 'requests.new' as metric, 'total' as applicant, overview_new as value, null as percent,
        null as qualifier, sentence
    from syn_overview
    union all
    select report_id, 'requests.new', 'total', government_level, null, 'government_level', sentence
    from syn_overview
    where government_level is not null
    union all
    select report_id, 'outcome.total', 'total', overview_handled, null, null, sentence
    from syn_overview
    union all
    select report_id, 'outcome.granted', 'total', overview_granted, overview_percent, null, sentence
    from syn_overview
),

final as (
    select report_id, metric, applicant, value, raw, line, section, sentence, percent, qualifier
    from syn_prose
    union all
    select
        report_id,
        metric,
        applicant,
        value,
        syn_count_text(value, '件') as raw,
        4 as line,
        '一' as section,
        sentence,
        percent,
        qualifier
    from overview
)

select * from final
