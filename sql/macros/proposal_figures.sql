-- One kind of proposals a report handled (NPC deputies' suggestions or CPPCC members' proposals), read from its
-- figures: the number received and resolved, the handling rate stated beside either (the one beside the
-- resolved count first), and where the figures were read (`source`). A report states each key once, so a kind
-- has at most two sources, the first and the last in order, joined with ｜ when they differ. An aggregate over a
-- report's figures (metric, value, percent, source), one struct per kind, so that both kinds read the same way.
create or replace macro proposal_figures(metric, value, percent, source, received_key, resolved_key) as
    struct_pack(
        received := any_value(value) filter (where metric = received_key),
        resolved := any_value(value) filter (where metric = resolved_key),
        stated_rate := coalesce(
            any_value(percent) filter (where metric = resolved_key),
            any_value(percent) filter (where metric = received_key)
        ),
        source := min(source) filter (where metric in (received_key, resolved_key))
            || coalesce(
                ' ｜ ' || nullif(
                    max(source) filter (where metric in (received_key, resolved_key)),
                    min(source) filter (where metric in (received_key, resolved_key))
                ),
                ''
            )
    );
