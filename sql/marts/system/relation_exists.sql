-- Whether the database holds a table or view named $relation: optional parts of a database (such as the
-- finding reviews) are read only where they exist, so an older database file still exports whole.
with relations as (
    select view_name as name from duckdb_views() where not internal
    union all
    select table_name as name from duckdb_tables()
),

final as (
    select count(*) > 0 as present
    from relations
    where name = $relation
)

select * from final
