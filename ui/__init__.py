"""SKB's user interface: the Streamlit pages and the few helpers they share.

The UI is a thin layer over `assessment/` and `reports/`: it draws widgets,
copies answers between the assessment and the widgets, and calls the core to
store, score and render. It holds no domain rules of its own; everything a page
can do, the CLI and the tests can do without a browser.
"""
