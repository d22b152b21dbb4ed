-- 雷同检查: every comparison the loader made (loaders/similarity.py), whether or not it stored a row in
-- section_similarity (a peer sharing no passage has none). A write compares again only the pairs that are new,
-- or that involve a report it changed, and drops the rows of pairs no longer chosen.
create table if not exists similarity_pairs (
    report_id varchar not null,
    section varchar not null,
    other_report_id varchar not null,
    relation varchar not null  -- '上年' | '同类'
);
