"""Partnership agreements: the format (``models``) and the pure methods that check one.

See docs/agreement-format.md for the file format and docs/methods.md for the methods.
"""

from __future__ import annotations
