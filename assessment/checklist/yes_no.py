"""The words an author may write for yes and no, in either language, when the format wants true or false.

YAML reads yes/no/on/off without quotes as true/false, but a quoted "ja" or "yes" is a text, which is never
read as true. The validator recognises these words to say what to write instead (`measures: true`, without
quotes). They are language data read from input, never shown to a person, so they live here and not in the
catalogue (tests/test_catalogue.py names this file in NOT_WORDS).
"""

from __future__ import annotations

__all__ = ["TRUE_WORDS", "FALSE_WORDS"]

TRUE_WORDS = frozenset({"yes", "true", "on", "ja", "y", "1"})
FALSE_WORDS = frozenset({"no", "false", "off", "nej", "n", "0"})
