-- The comparisons behind the synthetic 雷同 rows, as the loader records every comparison it made
-- (similarity_pairs): one per row above.
insert into similarity_pairs
select report_id, section, other_report_id, relation from section_similarity
