-- The order in which findings are listed by severity: errors first, then warnings, then the rest.
create or replace macro severity_rank(severity) as
    case severity when 'error' then 1 when 'warning' then 2 else 3 end;
