-- The first source line a finding's evidence cells stand on (null when no cell names a line): where a link
-- to the report's text opens and what orders findings of the same rule.
create or replace macro first_cell_line(cells) as
    list_min([try_cast(c ->> 'line' as integer) for c in cast(cells as json[])]);
