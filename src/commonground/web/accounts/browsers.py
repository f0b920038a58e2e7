"""The browser and system a User-Agent header names, in plain words ("Firefox on Windows").

A few ordered rules rather than a parser package: the list of sessions needs only the browser families
and systems people recognise, and a wrong guess costs nothing (the header is the client's to fill, so
it proves nothing anyway). Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari",
and iPhones and Android phones also say "Mac OS X" and "Linux".
"""

from __future__ import annotations

_BROWSERS = (
    ("Edg/", "Edge"),
    ("EdgA/", "Edge"),
    ("EdgiOS/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
    ("curl/", "curl"),
    ("python-requests/", "a Python script"),
)
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Macintosh", "macOS"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)
SHOWN_MAX = 60  # characters of an unrecognised header shown as it is


def browser_words(user_agent: str) -> str:
    """The browser and system in plain words, or the start of the header when neither is known."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), None)
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), None)
    if browser and system:
        return f"{browser} on {system}"
    if browser or system:
        return browser or f"A browser on {system}"
    text = " ".join(user_agent.split())  # no line breaks or runs of spaces from a crafted header
    if not text:
        return "Unknown browser"
    return text if len(text) <= SHOWN_MAX else text[: SHOWN_MAX - 1] + "…"
