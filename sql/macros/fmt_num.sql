-- A figure as a reader expects to see it in a message: 12 rather than 12.0, decimals only when printed.
create or replace macro fmt_num(x) as
    case
        when x is null then '空'
        when x = trunc(x) and abs(x) < 1e15 then cast(cast(x as bigint) as varchar)
        else cast(x as varchar)
    end;
