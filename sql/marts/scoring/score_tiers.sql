-- The rubric's tiers as it defines them, for the units of a year that analytics/scoring.py has scored (passed in
-- as parallel lists: $units ids, $classes, $totals, $reported) and the rubric's tiers in order ($tier_labels,
-- $tier_min_scores, $tier_top_shares, NULL where a tier sets no such condition). A unit is ranked within its
-- class, 1 = best, ties sharing a rank (1 + the units scoring more). $rank_missing says whether a unit without a
-- report is ranked and counted among its class's units (missing_report = "zero") or only listed
-- ("unranked": no rank, not counted, the last tier). rank_share is the unit's rank over the units ranked in its
-- class: 同类别前25% (top_share 0.25) holds when rank_share <= 0.25, so the 2nd of 5 (40%) is not in the top
-- quarter. A unit takes the first tier whose minimum score and top share it meets; the last tier takes the rest.
with scored as (
    select
        unnest($units::varchar[]) as unit_id,
        unnest($classes::varchar[]) as class_id,
        unnest($totals::double[]) as total,
        unnest($reported::boolean[]) as reported
),

tiers as (
    select
        unnest($tier_labels::varchar[]) as label,
        unnest($tier_min_scores::double[]) as min_score,
        unnest($tier_top_shares::double[]) as top_share,
        generate_subscripts($tier_labels::varchar[], 1) as tier_order
),

counted as (
    select
        *,
        reported or $rank_missing::boolean as ranked
    from scored
),

ranked as (
    select
        *,
        sum(ranked::int) over (partition by class_id)::bigint as class_units,
        case
            when ranked then rank() over (partition by class_id, ranked order by total desc)
        end as class_rank
    from counted
),

placed as (
    select
        r.unit_id,
        r.class_id,
        r.total,
        r.reported,
        r.ranked,
        r.class_units,
        r.class_rank,
        r.class_rank / r.class_units as rank_share,
        t.label as tier,
        t.tier_order
    from ranked as r
    inner join tiers as t
        on
            (t.min_score is null or r.total >= t.min_score)
            and (t.top_share is null or (r.ranked and r.class_rank <= t.top_share * r.class_units + 1e-9))
            and (r.ranked or t.tier_order = len($tier_labels::varchar[]))
),

final as (
    select
        unit_id,
        arg_min(class_id, tier_order) as class_id,
        arg_min(total, tier_order) as total,
        arg_min(reported, tier_order) as reported,
        arg_min(class_units, tier_order) as class_units,
        arg_min(class_rank, tier_order) as class_rank,
        arg_min(rank_share, tier_order) as rank_share,
        arg_min(tier, tier_order) as tier
    from placed
    group by unit_id
)

select * from final
order by class_id, class_rank nulls last, unit_id
