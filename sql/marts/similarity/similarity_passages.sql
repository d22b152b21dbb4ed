-- The repeated passages of one comparison (report $report_id, section $section, against
-- $other_report_id as $relation), one row each in the order they stand in the report: character
-- offsets and line in each report's stored text, and the text as each report prints it.
with chosen as (
    select passages
    from section_similarity
    where
        report_id = $report_id
        and section = $section
        and other_report_id = $other_report_id
        and relation = $relation
),

items as (
    select unnest(cast(passages as json[])) as item
    from chosen
),

final as (
    select
        cast(item ->> 'chars' as integer) as chars,
        cast(item ->> 'line' as integer) as line,
        cast(item ->> 'start' as integer) as start_offset,
        item ->> 'text' as text,
        cast(item ->> 'other_line' as integer) as other_line,
        cast(item ->> 'other_start' as integer) as other_start_offset,
        item ->> 'other_text' as other_text
    from items
)

select * from final
order by start_offset
