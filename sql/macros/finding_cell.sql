-- One cell of a finding's evidence: the figure's key, its value (whole numbers as JSON integers,
-- like the parse --json output), the raw text as printed and the line it came from.
create or replace macro finding_cell(metric, applicant, value, raw, line) as
    struct_pack(
        metric := metric,
        applicant := applicant,
        value := case
            when value = trunc(value) and abs(value) < 1e15 then to_json(cast(value as bigint))
            else to_json(value)
        end,
        raw := raw,
        line := line
    );
