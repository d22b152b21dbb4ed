-- The mark that says this database is synthetic: one row, read by the benchmark and by anyone who opens
-- the file. Nothing in it is a real agency or a real figure.
create or replace table synthetic_dataset as
select
    true as synthetic,
    '合成数据：由 bench/synthetic.py 生成，单位与数字均为虚构，仅用于性能测试 / synthetic data for benchmarks only'
        as note,
    cast($n_reports as integer) as requested_reports,
    (select count(*) from syn_reports where is_current) as current_reports,
    (select count(*) from syn_reports) as stored_reports,
    cast($seed as bigint) as seed,
    cast($schema as varchar) as schema_fingerprint,  -- what it was built from: sql/ and the generator
    cast(now() as timestamp) as generated_at
