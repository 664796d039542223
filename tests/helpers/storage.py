"""What is in the file storage of the test, local folder or SeaweedFS bucket prefix alike."""

from django.core.files.storage import default_storage
from storages.backends.s3 import S3Storage


def is_stored(name: str) -> bool:
    return bool(name) and default_storage.exists(name)


def stored_content(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def stored_names(folder: str = "") -> list[str]:
    """Every file under `folder`, at any depth."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}/{name}".lstrip("/") for name in files]
    for sub in folders:
        names += stored_names(f"{folder}/{sub}".lstrip("/"))
    return names


class SharedConnectionS3Storage(S3Storage):
    """Tests change STORAGES for each test (a bucket prefix of their own), and each change makes
    a new storage, whose boto3 session costs ~0.5 s to build: this subclass shares one
    connection per endpoint and key. Everything else is django-storages' S3Storage."""

    _shared: dict = {}

    @property
    def connection(self):
        key = (self.endpoint_url, self.access_key, self.secret_key)
        if key not in self._shared:
            self._shared[key] = super().connection
        return self._shared[key]
