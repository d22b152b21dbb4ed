-- Every agency name the reports of some units ($units) may be filed under: the units' own names and their
-- earlier names through the roster's renames and mergers (fct_coverage_names). A 单位填报人 sees only these.
select unit as name from unnest(coalesce($units, []::varchar[])) as t (unit)
union
select name from fct_coverage_names where list_contains($units, unit)
order by name
