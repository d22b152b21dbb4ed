-- A rate over a set of reports (an aggregate): the sum of the numerators over the sum of the denominators of the
-- reports that state BOTH, divided by as_rate. A report stating only one side adds to neither, so the pooled
-- rate never sets one report's numerator over another's denominator. Every total rate of a selection (总览,
-- 办理结果, 复议诉讼, the briefing) is this macro over the same fct_reports columns.
create or replace macro pooled_rate(numerator, denominator) as
    as_rate(
        sum(numerator) filter (where numerator is not null and denominator is not null),
        sum(denominator) filter (where numerator is not null and denominator is not null)
    );
