-- One evidence cell of a finding (as finding_cell writes it) read back into typed fields: metric, applicant,
-- value (a number, null when the report states none), raw (as printed) and line. unnest() of the result
-- gives the five as columns.
create or replace macro finding_cell_fields(cell) as
    struct_pack(
        metric := cell ->> 'metric',
        applicant := cell ->> 'applicant',
        value := try_cast(cell ->> 'value' as double),
        raw := cell ->> 'raw',
        line := try_cast(cell ->> 'line' as integer)
    );
