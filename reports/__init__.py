"""SKB's PDF report: styles, fonts, charts and the document builder (reportlab).

Nothing here imports streamlit; the wizard and `skb report` call the same renderer.
"""
