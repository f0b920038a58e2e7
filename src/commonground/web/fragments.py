"""Cache keys for rendered HTML fragments (portfolio rows, an agreement's read-only sections).

A fragment is cached under a key made of everything it shows, hashed, with the language and time
zone it is formatted in: whatever changes gives it a new key, so nothing is invalidated by hand and
no outdated fragment is ever served.
"""

from __future__ import annotations

import hashlib
import json

from django.utils import timezone, translation


def fragment_key(kind: str, pk: int, *shown: object) -> str:
    """The cache key of the ``kind`` fragment of object ``pk`` showing ``shown`` in today's locale."""
    # Hashed: shown values may hold anything, and cache keys must be short and plain.
    locale = (translation.get_language(), timezone.get_current_timezone_name())
    digest = hashlib.sha256(json.dumps([*shown, locale], default=str).encode()).hexdigest()
    return f"{kind}:{pk}:{digest}"
