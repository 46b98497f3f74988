"""SKB's report, as a PDF and as its accessible HTML twin: styles, fonts, charts and the document builder (reportlab).

Nothing here imports streamlit; the wizard and `skb report` call the same renderer.
"""

from .document import render_report, render_report_html
from .participants import render_participant_feedback

__all__ = ["render_report", "render_report_html", "render_participant_feedback"]
