"""Antivirus hook: each upload is streamed to clamd (INSTREAM) when `CLAMD_ADDRESS` is set.

`CLAMD_ADDRESS` is "host:port" or the path of clamd's unix socket. Left empty, no scan is made.
While it is set but clamd cannot answer (down, hung past `CLAMD_TIMEOUT`, or answering an
error), uploads are refused: a file is never stored unscanned. The logs name the signature
found or the error's class, never the file's name (it can carry a person's name).
"""

import logging
import socket
import struct
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

from documents.validation import UploadNotStored, UploadRejected
from portal.faults import log_fault

logger = logging.getLogger(__name__)

CHUNK_BYTES = 64 * 1024


class ScannerUnavailable(Exception):
    pass


def scan(stream: BinaryIO, *, name: str) -> None:
    """Raise `UploadRejected` if clamd finds a virus, `UploadNotStored` (a temporary refusal:
    try again later) if it cannot scan; no-op when no antivirus is configured."""
    address = getattr(settings, "CLAMD_ADDRESS", "")
    if not address:
        return
    try:
        verdict = _instream(address, stream)
    except (OSError, ScannerUnavailable) as exc:
        log_fault(logger, "upload not scanned by clamd", exc)
        raise UploadNotStored(
            _(
                "Le fichier « %(name)s » n'a pas pu être vérifié par l'antivirus pour le moment. "
                "Réessayez dans quelques minutes : ce que vous avez saisi et vos autres fichiers "
                "sont conservés."
            )
            % {"name": name}
        ) from None
    finally:
        stream.seek(0)
    if verdict.endswith("FOUND"):
        signature = verdict.removeprefix("stream:").removesuffix("FOUND").strip()
        logger.warning("clamd refused an upload: %s", signature)
        raise UploadRejected(
            _("Le fichier « %(name)s » a été refusé par l'antivirus.") % {"name": name}
        )


def _connect(address: str) -> socket.socket:
    timeout = getattr(settings, "CLAMD_TIMEOUT", 30)
    if address.startswith("/") or address.startswith("unix:"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect(address.removeprefix("unix:"))
        except OSError:
            sock.close()
            raise
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
    raise ScannerUnavailable("error verdict" if verdict else "no answer")
