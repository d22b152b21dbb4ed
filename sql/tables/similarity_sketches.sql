-- 雷同检查: the prefilter's sketch of each section of each current report that has enough wording to be
-- compared (loaders/similarity.py): a content-chosen sample of its 8-character shingles, each as a stable 64-bit
-- hash. Stored once when the report is stored, so that choosing a peer group's candidates reads these rows and
-- no report text. A report with no section to compare has one row with section and shingles null: it was read.
create table if not exists similarity_sketches (
    report_id varchar not null,
    section varchar,  -- 一 … 六; null: no section of this report has enough wording
    section_chars integer,  -- characters of wording in the section
    shingles bigint[]  -- distinct, ascending
);
