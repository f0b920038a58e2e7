"""Outgoing email: subjects stay on one line. (Which backend and server: tests/web/test_settings.py.)"""

from __future__ import annotations

from commonground.web.mail import one_line


def test_a_subject_is_one_line_whatever_names_it_holds() -> None:
    assert (
        one_line("Harbor\r\nBcc: victim@example.org\tinvites  you")
        == "Harbor Bcc: victim@example.org invites you"
    )
