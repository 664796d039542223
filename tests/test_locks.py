"""The two lock files (scripts/lock.py): production's holds what the [project] dependencies
need and nothing of the tests' tooling (the Docker image installs it alone); both match the
virtualenv the tests run in."""

import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(settings.BASE_DIR)


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        if line and not line.startswith("-r "):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    return pins


def test_the_production_lock_pins_every_dependency_and_no_dev_tool():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    production = _pins(ROOT / "requirements.lock")
    for text in project["dependencies"]:
        requirement = Requirement(text)
        assert production[canonicalize_name(requirement.name)] in requirement.specifier, text
    for text in project["optional-dependencies"]["dev"]:
        assert canonicalize_name(Requirement(text).name) not in production, text


def test_the_dev_lock_adds_the_dev_extras_to_the_production_lock():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = (ROOT / "requirements-dev.lock").read_text().splitlines()
    assert lines[0] == "-r requirements.lock"
    dev = _pins(ROOT / "requirements-dev.lock")
    assert not set(dev) & set(_pins(ROOT / "requirements.lock"))
    for text in project["optional-dependencies"]["dev"]:
        requirement = Requirement(text)
        assert dev[canonicalize_name(requirement.name)] in requirement.specifier, text


def test_the_lock_files_match_the_virtualenv():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "lock.py"), "--check"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
