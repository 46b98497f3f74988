"""The report's page-layout toolkit, which knows nothing of assessments' words: fonts (the embedded
DejaVu family), styles, markup (escapes all user text), the report model and its two renderings
(pdf, html), the page layout (layout: document, numbered pages, headings, contents, tables) and the
charts. Above it stand the context (labels, formatting), the chapters and the assembly."""
