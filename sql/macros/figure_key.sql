-- A figure's key as the pages pass it around: the metric, with "|applicant" for a section 三 column.
create or replace macro figure_key(metric, applicant) as
    metric || coalesce('|' || applicant, '');
