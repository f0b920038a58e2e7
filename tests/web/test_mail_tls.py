"""The site's SMTP mail checks the mail server's certificate and name (ASVS V12.3.2): against a small TLS
mail server on this machine, nothing is sent to one whose certificate no trusted authority signed or that
was issued for another name, over STARTTLS and implicit TLS alike; once trusted, the mail arrives."""

from __future__ import annotations

import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest
from django.core import mail
from django.test import override_settings

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def _certificate(directory: Path, name: str) -> tuple[Path, Path]:
    """A self-signed certificate for ``name`` and its key (openssl, as every Debian machine has it)."""
    certificate, key = directory / f"{name}.crt", directory / f"{name}.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={name}",
         "-addext", f"subjectAltName=DNS:{name}", "-keyout", str(key), "-out", str(certificate)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return certificate, key


def _reply(stream: BinaryIO, line: str) -> None:
    stream.write(line.encode("ascii") + b"\r\n")
    stream.flush()


def _converse(
    connection: socket.socket, context: ssl.SSLContext, *, secure: bool, received: list[str]
) -> None:
    """Speak enough SMTP for Django's backend: EHLO, STARTTLS, MAIL, RCPT, DATA, QUIT."""
    stream = connection.makefile("rwb")
    _reply(stream, "220 mail.test ESMTP")
    while line := stream.readline().decode("ascii").strip():
        verb = line.split()[0].upper()
        if verb == "EHLO":
            _reply(stream, "250 mail.test" if secure else "250-mail.test\r\n250 STARTTLS")
        elif verb == "STARTTLS":
            _reply(stream, "220 ready")
            connection = context.wrap_socket(connection, server_side=True)
            stream, secure = connection.makefile("rwb"), True
        elif verb == "DATA":
            _reply(stream, "354 go on")
            lines = iter(stream.readline, b".\r\n")
            received.append(b"".join(lines).decode("utf-8"))
            _reply(stream, "250 queued")
        elif verb == "QUIT":
            _reply(stream, "221 bye")
            return
        else:  # MAIL, RCPT, RSET, NOOP
            _reply(stream, "250 ok")


def _opens_with_tls(connection: socket.socket) -> bool:
    """Whether the client starts a TLS handshake at once (implicit TLS); a STARTTLS client waits for us."""
    connection.settimeout(0.3)
    try:
        return connection.recv(1, socket.MSG_PEEK) == b"\x16"  # a TLS handshake record
    except TimeoutError:
        return False
    finally:
        connection.settimeout(10)


@pytest.fixture
def mail_server(tmp_path: Path) -> Iterator[tuple[int, list[str], Path]]:
    """A TLS mail server on 127.0.0.1 for the name "localhost": (port, mails received, its certificate);
    implicit TLS or STARTTLS, as the client begins."""
    certificate, key = _certificate(tmp_path, "localhost")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate, key)
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(10)
    received: list[str] = []

    def serve() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return  # the listener was closed
            with connection:
                try:
                    implicit = _opens_with_tls(connection)
                    if implicit:
                        connection = context.wrap_socket(connection, server_side=True)
                    _converse(connection, context, secure=implicit, received=received)
                except (ssl.SSLError, OSError):
                    pass  # the client refused the certificate and hung up

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1], received, certificate
    listener.shutdown(socket.SHUT_RDWR)  # wakes the waiting accept (closing alone does not on Linux)
    listener.close()
    thread.join(timeout=10)


def _send(port: int, *, host: str = "localhost", implicit: bool) -> None:
    with override_settings(
        EMAIL_BACKEND=SMTP, EMAIL_HOST=host, EMAIL_PORT=port, EMAIL_USE_TLS=not implicit,
        EMAIL_USE_SSL=implicit, EMAIL_TIMEOUT=10,
    ):  # fmt: skip
        mail.send_mail("Checked", "Sent over TLS.", "cg@localhost", ["someone@localhost"])


@pytest.mark.parametrize("implicit", [False, True], ids=["starttls", "implicit-tls"])
def test_nothing_is_sent_to_a_mail_server_whose_certificate_no_trusted_authority_signed(
    mail_server: tuple[int, list[str], Path], implicit: bool
) -> None:
    port, received, _ = mail_server
    with pytest.raises(ssl.SSLCertVerificationError, match="self-signed certificate"):
        _send(port, implicit=implicit)
    assert received == []


@pytest.mark.parametrize("implicit", [False, True], ids=["starttls", "implicit-tls"])
def test_a_trusted_certificate_for_another_name_is_refused_and_for_this_one_the_mail_arrives(
    mail_server: tuple[int, list[str], Path], implicit: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    port, received, certificate = mail_server
    # OpenSSL reads SSL_CERT_FILE for the trusted authorities each time a default context is made.
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))
    with pytest.raises(ssl.SSLCertVerificationError, match="mismatch"):
        _send(port, host="127.0.0.1", implicit=implicit)  # the certificate names "localhost" only
    assert received == []
    _send(port, implicit=implicit)
    assert len(received) == 1
    assert "Sent over TLS." in received[0]
