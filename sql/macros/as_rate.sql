-- Every rate of the dashboard, the scoring and the exports is this one division: numerator over denominator,
-- NULL (shown "—", never 0% or a division error) when either is unstated or the denominator is zero or
-- negative (a block with more cases pending than in total cannot give a rate). Per report the fact tables
-- store the rate (fct_reports: *_rate); over a set of reports pooled_rate adds numerators and denominators.
create or replace macro as_rate(numerator, denominator) as
    case
        when numerator is null or denominator is null or denominator <= 0 then null
        else numerator / denominator
    end;
