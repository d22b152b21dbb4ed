-- The five figures of one block of section 四 (block: review, litigation.direct or litigation.after_review)
-- as a report prints them, and how many of the block's figures it prints, stated or not: an aggregate over
-- a report's figures (metric, value), one struct per block, so that every block is read the same way.
create or replace macro block_figures(metric, value, block) as
    struct_pack(
        maintained := any_value(value) filter (where metric = block || '.maintained'),
        corrected := any_value(value) filter (where metric = block || '.corrected'),
        other := any_value(value) filter (where metric = block || '.other'),
        pending := any_value(value) filter (where metric = block || '.pending'),
        total := any_value(value) filter (where metric = block || '.total'),
        printed := count(*) filter (where starts_with(metric, block || '.'))
    );
