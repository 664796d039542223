import email
import email.policy
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import translation

from accounts.models import User
from portal.celery import app as celery_app
from tests.factories import (
    PASSWORD,
    BeneficiaryFactory,
    StructureFactory,
    UserFactory,
    make_member_account,
    make_partner_user,
)


@dataclass
class OutboxMessage:
    kind: str  # "email" or "sms"
    to: str
    subject: str
    text: str
    html: str
    path: Path

    def code(self) -> str:
        match = re.search(r"\b(\d{6})\b", self.text)
        assert match, f"no 6-digit code in {self.text!r}"
        return match.group(1)

    def link(self) -> str:
        match = re.search(r"https?://\S+", self.text)
        assert match, f"no link in {self.text!r}"
        return match.group(0)


class Outbox:
    """Reads var/outbox the way a person would: every email and SMS, oldest first."""

    def __init__(self, directory: Path):
        self.directory = directory

    def all(self) -> list[OutboxMessage]:
        if not self.directory.exists():
            return []
        messages = []
        for path in sorted(self.directory.iterdir()):
            if path.suffix == ".eml":
                parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
                text_part = parsed.get_body(preferencelist=("plain",))
                html_part = parsed.get_body(preferencelist=("html",))
                messages.append(
                    OutboxMessage(
                        "email",
                        str(parsed["To"]),
                        # Folded headers start with the folding space: a reader sees none.
                        str(parsed["Subject"]).strip(),
                        text_part.get_content() if text_part else "",
                        html_part.get_content() if html_part else "",
                        path,
                    )
                )
            elif path.suffix == ".txt":
                head, _sep, body = path.read_text(encoding="utf-8").partition("\n\n")
                messages.append(
                    OutboxMessage("sms", head.removeprefix("To: "), "", body.strip(), "", path)
                )
        return messages

    def last(self, kind: str | None = None, to: str | None = None) -> OutboxMessage:
        found = [
            m for m in self.all() if (kind is None or m.kind == kind) and (to is None or to in m.to)
        ]
        assert found, f"no {kind or 'message'} to {to or 'anyone'} in the outbox"
        return found[-1]

    def count(self, kind: str | None = None) -> int:
        return sum(1 for m in self.all() if kind is None or m.kind == kind)


# The cross-replica journey starts a whole cluster (scripts/cluster): .ci/run runs it in a step of
# its own (GUICHET_CLUSTER_TESTS=1), not in both passes of the suite.
collect_ignore = (
    [] if os.environ.get("GUICHET_CLUSTER_TESTS") else ["browser/test_cluster_journey.py"]
)

# TEST_STORAGE=seaweedfs: every test keeps its files on a real SeaweedFS S3 gateway (started
# once for the session) instead of a local folder; .ci/run runs the upload tests so.
ON_SEAWEEDFS = os.environ.get("TEST_STORAGE") == "seaweedfs"


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory):
    """A real SeaweedFS with the test bucket (tests/helpers/seaweedfs.py)."""
    from tests.helpers.seaweedfs import SeaweedFS

    server = SeaweedFS(tmp_path_factory.mktemp("seaweedfs")).start()
    yield server
    server.stop()


def use_object_storage(settings, server) -> str:
    """Files of this test on `server`, under a prefix of their own; returns the prefix."""
    from portal.env import parse_storage_url

    prefix = f"t/{uuid.uuid4().hex}"
    settings.STORAGE_URL = server.url(prefix)
    storage = parse_storage_url("STORAGE_URL", settings.STORAGE_URL, media_root="")
    storage["BACKEND"] = "tests.helpers.storage.SharedConnectionS3Storage"
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    return prefix


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path, request):
    """Each test gets its own outbox and upload folder (or bucket prefix), and a clean cache."""
    settings.OUTBOX_DIR = tmp_path / "outbox"
    # Emails go where a person would read them (pytest-django would swap in locmem).
    settings.EMAIL_BACKEND = "portal.messaging.OutboxEmailBackend"
    if ON_SEAWEEDFS:
        use_object_storage(settings, request.getfixturevalue("seaweedfs"))
    else:
        settings.STORAGE_URL = ""
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(tmp_path / "uploads")},
            },
        }
    cache.clear()
    # Each test starts in the portal's language: a page asked in English by an earlier test
    # leaves English active in this thread (the locale middleware never deactivates it).
    translation.activate(settings.LANGUAGE_CODE)
    yield
    cache.clear()


@pytest.fixture
def outbox(settings):
    return Outbox(Path(settings.OUTBOX_DIR))


@pytest.fixture
def celery_conf():
    """Change the Celery app's configuration for one test, restored afterwards."""
    saved = {}

    def change(**values):
        for key, value in values.items():
            saved.setdefault(key, celery_app.conf[key])
            celery_app.conf[key] = value

    yield change
    for key, value in saved.items():
        celery_app.conf[key] = value


@pytest.fixture
def password():
    return PASSWORD


# -- Personas -------------------------------------------------------------------------------
@pytest.fixture
def member(db):
    """A policyholder with an activated space and two beneficiaries."""
    member = make_member_account(first_name="Marie", last_name="MARTIN")
    BeneficiaryFactory(member=member, first_name="Lucas", relationship="child")
    BeneficiaryFactory(member=member, first_name="Paul", civility="M", relationship="spouse")
    return member


@pytest.fixture
def other_member(db):
    # A phone of his own: codes to one number are limited whoever asks (accounts.send_limits).
    return make_member_account(
        first_name="Jean", last_name="DUPONT", civility="M", mobile_phone="+33698765432"
    )


@pytest.fixture
def structure(db):
    return StructureFactory(name="CCAS de Bordeaux")


@pytest.fixture
def technician(db, structure):
    return make_partner_user(User.Role.TECHNICIAN, structure, first_name="Sophie")


@pytest.fixture
def other_technician(db):
    return make_partner_user(User.Role.TECHNICIAN, StructureFactory(name="CCAS de Pau"))


@pytest.fixture
def partner_manager(db, structure):
    return make_partner_user(User.Role.PARTNER_MANAGER, structure, first_name="Hélène")


@pytest.fixture
def insurer_manager(db):
    from accounts.models import CodeDevice

    user = UserFactory(
        username="gestionnaire",
        email="gestion@example.org",
        role=User.Role.INSURER_MANAGER,
        is_staff=True,
        is_superuser=True,
    )
    CodeDevice.objects.create(user=user, name="email", channel="email", target=user.email)
    return user


# -- Partner space ----------------------------------------------------------------------------
@pytest.fixture
def organism(db):
    """CPAM GIRONDE (code 331), offering the five ODS with every motif."""
    from tests.factories import OrganismFactory

    return OrganismFactory(name="CPAM GIRONDE", code="331")


@pytest.fixture
def convention(db, structure, organism):
    """The technicians' structure has an active convention with CPAM GIRONDE."""
    from tests.factories import ConventionFactory

    return ConventionFactory(structure=structure, organism=organism)


@pytest.fixture
def organism_manager(db, organism):
    """An insurer manager of CPAM GIRONDE only (not a superuser)."""
    from accounts.models import CodeDevice

    user = UserFactory(
        username="gestionnaire.cpam",
        email="cpam@example.org",
        role=User.Role.INSURER_MANAGER,
        is_staff=True,
    )
    CodeDevice.objects.create(user=user, name="email", channel="email", target=user.email)
    organism.managers.add(user)
    return user


@pytest.fixture
def partner_client(client, technician, convention):
    """A browser of the technician, signed in with the second factor, CPAM GIRONDE chosen."""
    from partners.selectors import SESSION_ORGANISM
    from tests.test_access_matrix import _sign_in

    _sign_in(client, technician)
    session = client.session
    session[SESSION_ORGANISM] = convention.organism_id
    session.save()
    return client


# -- Faults (issue 19): a real SMTP relay the tests start, or none ----------------------------
@pytest.fixture
def smtp_sink(settings):
    """Emails go by SMTP to a local sink started for this test (tests/helpers/smtp.py)."""
    from tests.helpers.smtp import SMTPSink

    sink = SMTPSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = sink.host, sink.port
    settings.EMAIL_TIMEOUT = 5
    yield sink
    sink.stop()


@pytest.fixture
def smtp_down(settings):
    """Emails go by SMTP to a local port where nothing listens (the relay is down)."""
    from tests.helpers.smtp import closed_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    settings.EMAIL_TIMEOUT = 2


@pytest.fixture
def broker_down(settings, celery_conf):
    """Jobs are published (not run eagerly) to a Redis broker on a port where nothing listens."""
    from tests.helpers.smtp import closed_port

    celery_conf(
        task_always_eager=False,
        broker_url=f"redis://127.0.0.1:{closed_port()}/0",
        broker_transport_options={},
    )
    settings.CELERY_TASK_ALWAYS_EAGER = False
    saved = celery_app._pool, celery_app.amqp._producer_pool
    celery_app._pool = celery_app.amqp._producer_pool = None
    yield
    celery_app._pool, celery_app.amqp._producer_pool = saved


@pytest.fixture
def read_only_media(settings):
    """Nothing can be written in the upload folder or below it (root included: chattr +i)."""
    import os
    import subprocess

    folder = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["chmod", "-R", "a-w", str(folder)], check=True)
    immutable = os.geteuid() == 0
    if immutable:
        subprocess.run(["chattr", "-R", "+i", str(folder)], check=True)
    with pytest.raises(OSError):
        (folder / "probe").mkdir()
    yield folder
    if immutable:
        subprocess.run(["chattr", "-R", "-i", str(folder)], check=True)
    subprocess.run(["chmod", "-R", "u+w", str(folder)], check=True)


@pytest.fixture
def signed_in_member(client, member):
    """The member's browser, signed in with the second factor passed."""
    from tests.test_access_matrix import _sign_in

    _sign_in(client, member.user)
    return client


# -- A real Celery worker process (tests/helpers/worker.py) -----------------------------------
@pytest.fixture
def worker_env(settings, tmp_path, celery_conf):
    """Queue jobs for real (not eagerly), on a broker the worker process shares."""
    import os

    from tests.helpers.worker import database_url

    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_conf(task_always_eager=False)
    var_dir = tmp_path / "var"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": database_url(),
        # The worker's own var/: its file-system broker folders and its outbox.
        "GUICHET_VAR_DIR": str(var_dir),
        "OUTBOX_DIR": str(settings.OUTBOX_DIR),
        "MEDIA_ROOT": settings.STORAGES["default"]["OPTIONS"]["location"],
        "STORAGE_URL": settings.STORAGE_URL,
        "EMAIL_BACKEND": "outbox",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    if not settings.REDIS_URL:
        broker = var_dir / "broker"
        options = {
            "data_folder_in": str(broker / "queue"),
            "data_folder_out": str(broker / "queue"),
            "control_folder": str(broker / "control"),
            "processed_folder": str(broker / "processed"),
            "store_processed": False,
        }
        for folder in ("queue", "control", "processed"):
            (broker / folder).mkdir(parents=True)
        celery_conf(broker_transport_options=options)
    return env


@pytest.fixture
def worker(transactional_db, worker_env, tmp_path):
    """A worker process listening on its own queue (`worker.enqueue(task, *args)`)."""
    from tests.helpers.worker import RunningWorker

    running = RunningWorker(worker_env, tmp_path / "worker.log")
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def card_holder(db):
    """A policyholder record imported by the insurer, with no web space yet
    (`tests.helpers.signup`: the card that matches it)."""
    from tests.helpers.signup import card_holder_record

    return card_holder_record()


# -- A real ClamAV daemon (tests/helpers/clamd.py) --------------------------------------------
@pytest.fixture(scope="session")
def clamd_daemon():
    """One clamd for the run, started on first use with the EICAR signature only."""
    from tests.helpers.clamd import Clamd

    daemon = Clamd()
    try:
        yield daemon.start()
    finally:
        daemon.remove()


@pytest.fixture
def clamd(clamd_daemon, settings):
    """Uploads are scanned by the real daemon; started again if a test stopped it."""
    clamd_daemon.start()
    settings.CLAMD_ADDRESS = clamd_daemon.address
    settings.CLAMD_TIMEOUT = 5
    yield clamd_daemon
    if clamd_daemon.process is not None:
        clamd_daemon.thaw()
