-- Every finding in one place: the violations of the checks R1–R9 and the problems the parser saw
-- while reading, for current reports. The findings page, the check command and the tests all read
-- this view, so they cannot disagree.
with checks as (
    select * from chk_r1
    union all by name
    select * from chk_r2
    union all by name
    select * from chk_r3
    union all by name
    select * from chk_r4
    union all by name
    select * from chk_r5
    union all by name
    select * from chk_r6
    union all by name
    select * from chk_r7
    union all by name
    select * from chk_r8
    union all by name
    select * from chk_r9
),

parsed as (
    select
        p.report_id,
        r.agency,
        r.year,
        p.rule,
        p.severity,
        p.message,
        p.cells
    from parse_findings as p
    inner join stg_reports_current as r on p.report_id = r.report_id
),

final as (
    select report_id, agency, year, rule, severity, message, cells from checks
    union all
    select report_id, agency, year, rule, severity, message, cells from parsed
)

select * from final
