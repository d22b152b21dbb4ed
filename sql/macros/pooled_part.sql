-- The numerator or denominator pooled_rate divides, for showing beside the rate (e.g. 12.5%（1/8）): the sum of
-- `value` over the reports that state both sides of the rate (`other` is the rate's other side).
create or replace macro pooled_part(value, other) as
    sum(value) filter (where value is not null and other is not null);
