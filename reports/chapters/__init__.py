"""The report's parts, one module each, in the order they are printed.

cover, summary (and the assessors' summary in full), contents, charts, criteria (one chapter per
checklist section), equity, participation, measures, flags, review and method. Each builds its
flowables from a `reports.context.ReportContext`; `reports.document.render_report` assembles them.
A chapter imports only public names from its siblings (tests/test_report_modules.py).
"""
