-- The rubrics imported into the database (rubrics table), by name: the 评分排名 page offers them beside the files.
select name, file_name, toml, stored_by, stored_at
from rubrics
order by name
