"""Write the two lock files from the installed virtualenv (`make lock`):

- requirements.lock: what production runs (the Docker image installs it), i.e. the dependencies
  of pyproject.toml's [project] and, transitively, theirs, each pinned to the installed version;
- requirements-dev.lock: `-r requirements.lock`, then everything else installed (the tests, the
  browser driver, the linter, the local S3 gateway...), which `make` installs for development.

`--check` writes nothing and fails when requirements.lock differs from what would be written
(a dependency added, removed or upgraded without `make lock`) or when a pin of
requirements-dev.lock is not what is installed. Packages installed by hand beside the locks are
not its business."""

import argparse
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PROD = ROOT / "requirements.lock"
DEV = ROOT / "requirements-dev.lock"


def _installed() -> dict[str, metadata.Distribution]:
    return {canonicalize_name(dist.metadata["Name"]): dist for dist in metadata.distributions()}


def _closure(roots: list[str], installed: dict[str, metadata.Distribution]) -> set[str]:
    """The canonical names of `roots` and of all they require, extras and markers applied."""
    found: set[str] = set()
    todo = [Requirement(text) for text in roots]
    seen: set[tuple[str, frozenset[str]]] = set()
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        key = (name, frozenset(requirement.extras))
        if key in seen:
            continue
        seen.add(key)
        if name not in installed:
            sys.exit(f"{requirement.name} is required but not installed: run make install")
        found.add(name)
        extras = {""} | set(requirement.extras)
        for text in installed[name].requires or []:
            needed = Requirement(text)
            if needed.marker is None or any(
                needed.marker.evaluate({"extra": extra}) for extra in extras
            ):
                todo.append(needed)
    return found


def _pin(dist: metadata.Distribution) -> str:
    return f"{dist.metadata['Name']}=={dist.version}"


def lock_files() -> tuple[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    installed = _installed()
    production = _closure(project["dependencies"], installed)
    ignored = {"pip", "setuptools", "wheel"}

    def lines(names) -> list[str]:
        return [_pin(installed[name]) for name in sorted(names, key=str.lower)]

    prod = "\n".join(lines(production)) + "\n"
    rest = set(installed) - production - ignored
    dev = "\n".join(["-r requirements.lock", *lines(rest)]) + "\n"
    return prod, dev


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    arguments = parser.parse_args()
    prod, dev = lock_files()
    if arguments.check:
        installed = {name: dist.version for name, dist in _installed().items()}
        problems = [] if PROD.read_text() == prod else [f"{PROD.name} is out of date"]
        for line in DEV.read_text().splitlines()[1:]:
            name, version = line.split("==")
            if installed.get(canonicalize_name(name)) != version:
                problems.append(f"{DEV.name}: {line}, installed {installed.get(name)}")
        for problem in problems:
            print(f"{problem} (run make lock)", file=sys.stderr)
        return 1 if problems else 0
    PROD.write_text(prod)
    DEV.write_text(dev)
    return 0


if __name__ == "__main__":
    sys.exit(main())
