"""Clause numbers as printed at the start of a heading, paragraph or list item."""

from __future__ import annotations

import re

_NUMBER = re.compile(
    r"""^\s*(
        (?:Section|Article|Clause|Schedule|Annex|Appendix|Part|Rule)\s+[0-9IVXLC]+(?:\.\d+)*[A-Za-z]?
      | \d+(?:\.\d+)+(?:\([a-z0-9]+\))*\.?      # 4.2, 4.2.1, 4.2(b)
      | \d+(?:\([a-z0-9]+\))+                  # 4(b)
      | \d+[.)]                                # 1.  1)
      | \([a-zA-Z0-9]{1,4}\)                   # (a)  (iv)  (3)
      | [a-zA-Z][.)]                           # a)  A.
    )(?=\s|$)""",
    re.VERBOSE | re.IGNORECASE,
)


def leading_number(text: str) -> str | None:
    """The clause number a text starts with ("4.2(b)", "1.", "(a)", "Section 3"), or None."""
    m = _NUMBER.match(text)
    return m.group(1) if m else None
