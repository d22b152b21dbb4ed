-- How an evidence cell's value reads: the number (fmt_num), 未填报 for a figure the report leaves unstated
-- (never 0), and null for a cell that names no figure.
create or replace macro cell_value_text(value, metric) as
    case
        when value is not null then fmt_num(value)
        when metric is not null then '未填报'
    end;
