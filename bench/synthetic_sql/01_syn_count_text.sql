-- A whole number as a report prints it, followed by its unit ('件', '元', … or '' for none): the raw text of a
-- generated figure, and what the sentences that state it say.
create or replace temp macro syn_count_text(x, unit) as cast(cast(x as bigint) as varchar) || unit
