"""De-identification engine: find personal data in a notice and mask it.

Pure Python (no Flask); the publisher's review screen is built on this API::

    from webapp.deid import find_personal_data, mask, Finding

    findings = find_personal_data(text)      # list[Finding], sorted, no overlaps
    public = mask(text, findings)            # 王某, 138****5678, 410105********1234 …

Kinds, in the UI's order, are :data:`KINDS`; their Chinese labels :data:`KIND_LABELS`.
The masking rules are one table in :mod:`webapp.deid.policy`.
"""

from __future__ import annotations

from .engine import find_personal_data
from .finding import KINDS, Finding
from .policy import KIND_LABELS, POLICY, mask, mask_value, name_aliases

__all__ = [
    "KINDS",
    "KIND_LABELS",
    "POLICY",
    "Finding",
    "find_personal_data",
    "mask",
    "mask_value",
    "name_aliases",
]
