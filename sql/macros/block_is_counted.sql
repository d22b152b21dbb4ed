-- Whether a block of section 四 (a block_figures struct) counts in the correction rates: 结果纠正, 总计 and
-- 尚未审结 all stated, the block does not break R4 (breaks_r4) and 已审结 (总计 − 尚未审结) is not negative.
-- counted_block applies it; see there for why a block that breaks R4 is left out.
create or replace macro block_is_counted(b, breaks_r4) as
    b.corrected is not null
    and b.total is not null
    and b.pending is not null
    and not coalesce(breaks_r4, false)
    and b.total - b.pending >= 0;
