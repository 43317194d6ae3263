"""Network pages and the gap report: self-contained HTML that works offline.

Entry points: `viz.network.render_network` (a view of a graph),
`viz.report.render_report`, `viz.views.VIEWS` (the registry of views),
`viz.service` (pages from a store, with the caller's visibility) and
`viz.routes.make_router` (the FastAPI router). See docs/visualisation.md.
"""
