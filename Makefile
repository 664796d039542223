# Guichet: `make run` serves the portal with demo data, `make test` runs the whole suite.
# Needs only Python 3.11 and make; the Debian packages the project uses (libmagic1, libdmtx0b,
# chromium for the browser tests, clamav-daemon for the antivirus tests) are installed when
# missing if we are root with apt-get.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
CHROMIUM := /usr/bin/chromium
PYTEST_ARGS ?=

.PHONY: install system-libs chromium axe clamav run test lint lock bench cluster cluster-test

$(VENV)/.installed: requirements.lock requirements-dev.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { \
	  echo "Guichet needs Python 3.11 ('$(PYTHON)' is $$($(PYTHON) --version 2>&1))." \
	    "Run: make PYTHON=/path/to/python3.11 ..." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	touch $@

install: system-libs

# python-magic (upload checks) loads the C library libmagic.
system-libs: $(VENV)/.installed
	@$(PY) -c 'import magic' 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's libmagic1 (file type detection of uploads)..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libmagic1; \
	  else \
	    echo "libmagic is missing: install it (Debian/Ubuntu: sudo apt-get install libmagic1)." >&2; \
	    exit 1; \
	  fi; }
	@# pylibdmtx (the tests read the tiers-payant card's DataMatrix back) loads libdmtx.
	@$(PY) -W ignore -c 'import pylibdmtx.pylibdmtx' 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's libdmtx0b (DataMatrix reading in the tests)..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libdmtx0b; \
	  else \
	    echo "libdmtx is missing: install it (Debian/Ubuntu: sudo apt-get install libdmtx0b)." >&2; \
	    exit 1; \
	  fi; }

# The browser tests drive Debian's Chromium (Playwright's own browser download does not work here).
chromium:
	@[ -x $(CHROMIUM) ] || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "The browser tests need Chromium at $(CHROMIUM)." \
	      "Install it (Debian/Ubuntu: sudo apt-get install chromium) or run make test as root." >&2; \
	    exit 1; \
	  fi; }

# The browser tests run axe-core (accessibility rules) from the npm package pinned in
# package-lock.json (tests/helpers/axe.py reads node_modules/axe-core/axe.min.js). `npm ci`
# runs when node_modules/axe-core is missing or older than the lock; Debian's npm is installed
# when missing if we are root with apt-get. node_modules is for the tests only (.dockerignore).
axe: node_modules/axe-core

node_modules/axe-core: package.json package-lock.json
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's npm (axe-core for the browser tests)..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends nodejs npm; \
	  else \
	    echo "The browser tests need npm to install axe-core." \
	      "Install it (Debian/Ubuntu: sudo apt-get install npm) or run make test as root." >&2; \
	    exit 1; \
	  fi; }
	npm ci --no-audit --no-fund
	touch $@

# The antivirus tests start Debian's clamd themselves, with the EICAR test signature written by
# the fixture (tests/helpers/clamd.py): no signature download, freshclam is never run.
clamav:
	@command -v clamd >/dev/null || [ -x /usr/sbin/clamd ] || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's clamav-daemon for the antivirus tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends clamav-daemon; \
	  else \
	    echo "The antivirus tests need clamd." \
	      "Install it (Debian/Ubuntu: sudo apt-get install clamav-daemon) or run make test as root." >&2; \
	    exit 1; \
	  fi; }

# Portal on http://127.0.0.1:8000 and a Celery worker with beat; Ctrl-C stops both.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	PY=$(PY) scripts/serve

# Scaled out on one machine: HAProxy on :8700 in front of two gunicorn replicas, two workers
# and a beat, on PostgreSQL, Redis and SeaweedFS (scripts/cluster; README, "Scale-out").
cluster: install
	PY=$(PY) scripts/cluster

# The browser journey through the balancer, alternating replicas (starts its own cluster).
cluster-test: install chromium axe
	GUICHET_CLUSTER_TESTS=1 $(PY) -m pytest -ra tests/browser/test_cluster_journey.py

# The whole suite, browser and worker tests included. PostgreSQL and Redis are used when
# DATABASE_URL and REDIS_URL are set (as .ci/run does in its second pass).
test: install chromium axe clamav
	$(PY) -m pytest $(PYTEST_ARGS)

# Performance figures on PostgreSQL at production volume (bench/README.md): one line per figure.
# BENCH_DATABASE_URL picks the database (default postgres://postgres@127.0.0.1:5432/guichet_bench,
# created and loaded on first use); FIGURES="member_history ..." runs only those.
bench: install
	$(PY) -m bench $(FIGURES)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

lock: install
	$(PY) scripts/lock.py
