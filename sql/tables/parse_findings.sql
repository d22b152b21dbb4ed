-- Problems the parser itself saw while reading a report (ambiguous splits, unreadable tables ...).
create table if not exists parse_findings (
    report_id varchar not null,
    rule varchar not null,
    severity varchar not null,
    message varchar not null,
    cells json  -- list of {metric, applicant, value, raw, line}
);
