-- The message of an arithmetic check that fails on a reading the parser is not sure of (doubted_reading):
-- what failed, and that the reading, not the report, is in question.
create or replace macro doubted_message(rule, message) as
    format('读取存疑（{}）：{}；所涉数字含推断读取的单元格，勾稽关系不成立多半是读取有误，请对照原文核对', rule, message);
