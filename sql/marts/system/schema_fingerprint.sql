-- The fingerprint of the sql/ files that built the database (schema_info, written by the loader), which the
-- dashboard compares with its own on start to know whether the file needs an upgrade.
select fingerprint from schema_info
