-- Whether a figure is a reading the parser is not sure of: a cell it placed by inference ("uncertain"),
-- or a blank table cell given the number the prose states ("from_prose"). When the template's arithmetic
-- fails on such a reading, the reading is what the arithmetic contradicts, so checks R1–R4 report it as
-- the parser's finding (PARSE) rather than blame the report.
create or replace macro doubted_reading(qualifier) as
    coalesce(qualifier in ('uncertain', 'from_prose'), false);
