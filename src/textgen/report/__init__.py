"""The report: tables and figures made by rules, assembled into report/report.md and report/index.html."""
