-- The audit log, newest first: every write to the database with who, when, what, and the state before and
-- after (JSON text). $actions limits it to some actions (null: all); the 账户与审计 page shows it to 管理员.
select audit_id, written_at, account, role, action, target, cast(before as varchar) as before, cast(after as varchar) as after
from audit_log
where $actions is null or list_contains($actions, action)
order by audit_id desc
