"""Reading a PDF's pages and drawn text in tests, without a PDF library (WeasyPrint's output only)."""

from __future__ import annotations

import re
import zlib


def inflated(pdf: bytes) -> bytes:
    """The PDF with every compressed stream inflated next to it (pages and fonts sit in object streams)."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue  # an image or font program, not text
    return b"\n".join(parts)


def page_count(pdf: bytes) -> int:
    """How many pages the PDF has."""
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", inflated(pdf)))


def text_of(pdf: bytes) -> str:
    """The characters the PDF draws, in drawing order, read through its fonts' ToUnicode maps (the
    subsets of one family share glyph ids, so one merged map serves; spaces are dropped by the caller)."""
    glyphs: dict[bytes, str] = {}
    whole = inflated(pdf)
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", whole, re.S):
        for code, uni in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            glyphs[code.lower()] = bytes.fromhex(uni.decode()).decode("utf-16-be")
    drawn = []
    for array in re.findall(rb"\[(.*?)\]\s*TJ", whole, re.S):
        for run in re.findall(rb"<([0-9a-fA-F]*)>", array):
            drawn.extend(glyphs.get(run[i : i + 4].lower(), "?") for i in range(0, len(run), 4))
    return "".join(drawn)


def squashed(text: str) -> str:
    """``text`` without any whitespace (PDF text runs drop spaces)."""
    return re.sub(r"\s+", "", text)
