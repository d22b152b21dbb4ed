-- Whether `text` holds every word of `search` (words apart by spaces), ignoring case; true for a null or blank
-- search. The pickers' 查找 boxes search with it (selection_regions, selection_units, report_choices).
create or replace macro holds_every_word(text, search) as
    list_bool_and(list_transform(
        list_filter(string_split_regex(trim(coalesce(search, '')), '\s+'), lambda w: w <> ''),
        lambda t: contains(lower(text), lower(t))
    )) is not false;
