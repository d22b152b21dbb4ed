-- Finding keys whose record of review was carried to another key and has not come back since: for each key, its
-- latest move away is later than its latest move in (finding_moves). new_key is where the record went. A key
-- listed here is not a finding that no longer occurs (findings_gone) nor one an undo writes into: its record
-- lives on under new_key.
with moves as (
    select distinct move_id, old_key, new_key from finding_moves
),

last_out as (
    select old_key as finding_key, arg_max(new_key, move_id) as new_key, max(move_id) as out_id
    from moves
    group by old_key
),

last_in as (
    select new_key as finding_key, max(move_id) as in_id
    from moves
    group by new_key
),

final as (
    select o.finding_key, o.new_key
    from last_out as o
    left join last_in as i on o.finding_key = i.finding_key
    where i.in_id is null or o.out_id > i.in_id
)

select * from final
