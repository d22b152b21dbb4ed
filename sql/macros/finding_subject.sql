-- What a finding is about, without the values it quotes: the sorted, distinct figure keys
-- (metric|applicant) of its evidence cells, or its message when no cell names a figure (a template
-- mismatch, a run of digits the parser could not split). Values, raw text and line numbers are left
-- out on purpose: they change when a figure is corrected or a new version of the report moves a line,
-- while the finding stays the same finding. The findings view hashes this into finding_key.
create or replace macro finding_subject(cells, message) as
    coalesce(
        nullif(
            array_to_string(
                list_sort(
                    list_distinct(
                        [
                            (c ->> 'metric') || '|' || coalesce(c ->> 'applicant', '')
                            for c in cast(cells as json[])
                            if (c ->> 'metric') is not null
                        ]
                    )
                ),
                ','
            ),
            ''
        ),
        message
    );
