"""Layer 3, scoring: the pure function from an assessment to its result (scoring, results), the
verdict in words (verdict_text, figures), every claim a surface makes (summary), and what is read off
a result: the plain-text table (score_text), the one-glance figure (glance), a comparison (compare).
No I/O; imports the assessment and checklist layers."""
