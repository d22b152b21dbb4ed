-- How much a database holds: stored reports, figures and findings.
select
    (select count(*) from reports) as reports,
    (select count(*) from figures) as figures,
    (select count(*) from fct_findings) as findings
