-- 雷同检查: one row per comparison of a report's section with the same section of another report, stored
-- by the loader at ingest (loaders/similarity.py explains the measure). relation '上年' compares with the
-- same unit's report of the previous year, '同类' with a peer unit's report of the same year (same level
-- and type). Every comparison made is kept, whatever its score: the threshold is applied when reading.
-- One row per (report_id, section, other_report_id, relation): the loader deletes a comparison's row before it
-- stores it again. No primary key says so: its index over every row (a million at 100k reports) would be read
-- into memory and updated by each write, for a rule the loader already keeps.
create table if not exists section_similarity (
    report_id varchar not null,  -- the report whose section is measured
    section varchar not null,  -- 一 … 六
    other_report_id varchar not null,  -- the report it is compared with
    relation varchar not null,  -- '上年' | '同类'
    score double not null,  -- 0..1: share of the section's wording found in the other's, in passages of 12+ characters
    section_chars integer not null,  -- characters of wording in the section (digits, spaces, punctuation, labels left out)
    matched_chars integer not null,  -- of those, the characters inside repeated passages
    passages json,  -- [{chars, start, end, line, text, other_start, other_end, other_line, other_text}]
    -- the longest passage (the first of equally long ones), what the rubric quotes: read without the JSON
    longest struct(chars integer, text varchar, line integer, other_line integer)
);

-- Rows stored before the longest passage had a column get it (empty) on the next write or upgrade, and their
-- years are compared again (similarity_stale_years), which fills it.
alter table section_similarity add column if not exists longest struct(
    chars integer, text varchar, line integer, other_line integer
);
