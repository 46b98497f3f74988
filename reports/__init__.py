"""SKB's PDF report: styles, fonts, charts and the document builder (reportlab).

Nothing here imports streamlit; the wizard and `skb report` call the same renderer.
"""

from .document import render_report
from .participants import render_participant_feedback

__all__ = ["render_report", "render_participant_feedback"]
