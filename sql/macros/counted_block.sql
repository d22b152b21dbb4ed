-- One block of section 四 (a block_figures struct) with what it adds to the correction rates (纠错率 =
-- 结果纠正 / 已审结, 已审结 = 总计 − 尚未审结), decided once for every reader (block_is_counted): a block
-- counts only when 结果纠正, 总计 and 尚未审结 are all stated, it does not break R4 (breaks_r4: its printed
-- 总计 differs from 结果维持 + 结果纠正 + 其他结果 + 尚未审结, chk_review_blocks_add_up) and 已审结 is not negative. A block that
-- breaks R4 is still shown as printed, but adds neither 结果纠正 nor 已审结 to any rate, on any page, in the
-- scoring or in the exports: its printed total contradicts its parts, so no denominator taken from it can be
-- trusted. counted_corrected and counted_concluded are NULL for a block that does not count.
create or replace macro counted_block(b, breaks_r4) as
    struct_insert(
        b,
        breaks_r4 := coalesce(breaks_r4, false),
        counted := block_is_counted(b, breaks_r4),
        counted_corrected := case when block_is_counted(b, breaks_r4) then b.corrected end,
        counted_concluded := case when block_is_counted(b, breaks_r4) then b.total - b.pending end
    );
