"""Layer 2, the assessment: the answers to a checklist, its measures and participation (model), and
which questions apply (conditions). Imports the checklist layer below it."""
