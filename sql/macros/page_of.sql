-- The PDF page a figure stands on, from its location as the PDF reader writes it ("第3页", "第3–4页" for a
-- paragraph wrapped over a page break: its first page, "第3页 表1 第5行"); null for other formats, whose
-- locations name a Word table, a sheet or nothing.
create or replace macro page_of(location) as
    try_cast(regexp_extract(location, '^第(\d+)(?:[–-]\d+)?页', 1) as integer);
