# Two commands do all set-up on a fresh clone (both idempotent):
#   make serve   install what is needed and serve the site at http://127.0.0.1:8000/studylog/
#   make test    install what is needed (incl. Debian's chromium) and run the whole test suite
#   make fuzz    the fuzzer's long run (tests/fuzz): FUZZ_EXAMPLES examples per property, random seed
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test fuzz verify setup browser clean

serve: setup
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: setup
	$(BIN)/mkdocs build --strict

test: setup browser
	$(BIN)/pytest

# make test runs each property of tests/fuzz on a fixed, bounded budget; this runs 10,000 examples of each
# (the slow ones a share: see tests/fuzz/budget.py) and keeps what fails in .hypothesis/ to replay first.
FUZZ_EXAMPLES ?= 10000
fuzz: setup
	STUDYLOG_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest tests/fuzz -q --hypothesis-show-statistics

verify: setup
	$(BIN)/studylog verify --report

setup: $(VENV)/.installed node_modules/.installed

# torch==2.13.0 is pinned in pyproject.toml: pip takes the local CPU wheel, never the CUDA build.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The browser tests drive Debian's chromium; install it where it is missing (needs root or sudo).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

clean:
	rm -rf site .studylog-cache test-artifacts .hypothesis
