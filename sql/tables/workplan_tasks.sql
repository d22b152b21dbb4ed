-- The tasks of work plans (工作要点), one row per numbered task of the plan's 任务分解表, with the units
-- that carry it. Blank (merged) cells of the table are filled from the row above before storing, so every
-- task has its heading and units. Importing a plan of the same title again replaces its tasks; ingest never
-- touches them.
create table if not exists workplan_tasks (
    plan varchar not null,  -- the plan's title, e.g. 周村区2021年政务公开工作要点
    year integer,  -- the year the plan is for
    issuer varchar,  -- the body that issued it, when the text says
    position integer not null,  -- order of the task in the table
    task_no varchar,  -- 序号 as printed
    category varchar,  -- the first grouping column (e.g. 工作任务), filled down
    heading varchar,  -- a second grouping column (e.g. the short name of a 工作举措), filled down
    task varchar not null,  -- the task text
    lead_units varchar[] not null,  -- 牵头单位, or every unit named under 责任单位 when the table has no 牵头 column
    cooperating_units varchar[] not null,  -- 配合单位 (协办, 参与), empty when the table has none
    units_text varchar,  -- the unit cells as printed (after filling down)
    deadline varchar,  -- 完成时限 column, or a time limit stated in the task text (年底前, 6月底前)
    line integer,  -- 1-based line of the task's row in the normalised text (the row number of a workbook sheet)
    location varchar,  -- where that line sits in the original file (sheet and row, Word table and row)
    source varchar not null,  -- file name
    imported_at timestamp not null
);
