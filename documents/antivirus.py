"""Antivirus hook: each upload is streamed to clamd (INSTREAM) when `CLAMD_ADDRESS` is set.

`CLAMD_ADDRESS` is "host:port" or the path of clamd's unix socket. Left empty, no scan is made.
While it is set but clamd cannot answer, uploads are refused: a file is never stored unscanned.
"""

import logging
import socket
import struct
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

from documents.validation import UploadRejected

logger = logging.getLogger(__name__)

CHUNK_BYTES = 64 * 1024


class ScannerUnavailable(Exception):
    pass


def scan(stream: BinaryIO, *, name: str) -> None:
    """Raise `UploadRejected` if clamd finds a virus or cannot be reached; no-op if unset."""
    address = getattr(settings, "CLAMD_ADDRESS", "")
    if not address:
        return
    try:
        verdict = _instream(address, stream)
    except (OSError, ScannerUnavailable):
        logger.exception("clamd at %s could not scan %r", address, name)
        raise UploadRejected(
            _("L'envoi de fichiers est momentanément indisponible. Réessayez plus tard.")
        ) from None
    finally:
        stream.seek(0)
    if verdict.endswith("FOUND"):
        logger.warning("clamd refused %r: %s", name, verdict)
        raise UploadRejected(
            _("Le fichier « %(name)s » a été refusé par l'antivirus.") % {"name": name}
        )


def _connect(address: str) -> socket.socket:
    timeout = getattr(settings, "CLAMD_TIMEOUT", 30)
    if address.startswith("/") or address.startswith("unix:"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(address.removeprefix("unix:"))
        return sock
    host, _sep, port = address.rpartition(":")
    return socket.create_connection((host.strip("[]"), int(port)), timeout=timeout)


def _instream(address: str, stream: BinaryIO) -> str:
    """Send the stream with clamd's INSTREAM command; return its verdict line."""
    stream.seek(0)
    with _connect(address) as sock:
        sock.sendall(b"zINSTREAM\0")
        while chunk := stream.read(CHUNK_BYTES):
            sock.sendall(struct.pack("!L", len(chunk)) + chunk)
        sock.sendall(struct.pack("!L", 0))
        reply = b""
        while not reply.endswith(b"\0"):
            data = sock.recv(4096)
            if not data:
                break
            reply += data
    verdict = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    # "stream: OK", "stream: <signature> FOUND", or "... ERROR" (size limit, internal error).
    if verdict.endswith("OK") or verdict.endswith("FOUND"):
        return verdict
    raise ScannerUnavailable(verdict or "no answer")
