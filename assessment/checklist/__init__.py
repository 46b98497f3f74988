"""Layer 1, the checklist: reading a file safely (yamlio), the format (checklist), its validation
(validate), the library of shipped and local checklists (library) and the editor schema (schema).
Imports nothing of SKB but `assessment.errors`."""
