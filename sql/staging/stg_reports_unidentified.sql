-- Stored reports whose agency or year neither the report nor the user gave (agency and/or year null). Each is
-- its own report, never a version of another (ingest stores one per content), so every one is current: the
-- checks of a single report (R1–R5, the sections of R8) and the parser's findings apply to it, and 报告详情
-- opens it, but no view that compares units or years sees it. Identifying it (loaders/identify.py) moves it
-- into stg_reports_current.
select *
from reports
where agency is null or year is null
