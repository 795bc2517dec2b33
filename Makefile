# The two commands of the README are `make run` and `make test`; both set up what they need.
# The environment lives in .venv/ and is rebuilt when the lock file changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= data/postmortems.duckdb
CORPUS ?= data/corpus
PORT ?= 8501

.PHONY: run test bench install bytecode browser lint clean demo-corpus train-kinds train-mechanisms

install: $(STAMP)

# uv installs the locked stack in ~5 s against ~47 s for pip; bytecode is compiled at install
# because this machine sets PYTHONDONTWRITEBYTECODE and imports would otherwise cost ~3 s a start.
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --compile-bytecode --no-deps -e .
	touch $(STAMP)

# The project's own modules too: uv compiles site-packages only, and a module without a fresh
# .pyc is compiled again at every start (0.3 s of the loader's imports). Cheap when up to date.
bytecode: install
	$(BIN)/python -m compileall -q pipeline dashboard devtools

# Debian's chromium for the browser tests (playwright drives the system browser; no download).
browser:
	@test -x /usr/bin/chromium || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || sudo sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null'; }

run: install bytecode
	$(BIN)/postmortems ingest $(CORPUS) --db $(DB)
	@echo "Dashboard: http://localhost:$(PORT)"
	$(BIN)/postmortems dashboard --db $(DB) --port $(PORT)

test: install browser lint
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

# Full run ~20 min (most of it the 100,000-file ingest). BENCH_ARGS="--against REV" adds a
# before/after table from the same run; `python -m devtools.bench --help` lists the rest.
bench: install bytecode
	$(BIN)/python -m devtools.bench $(BENCH_ARGS)

# The learned models, retrained from the hand-labelled real postmortems of data/real/ (training
# split only; the frozen test split is never trained on). Each writes its weights file byte for
# byte as shipped: a test retrains and compares.
train-kinds: install
	$(BIN)/python -m devtools.row_kinds train
	$(BIN)/python -m devtools.row_kinds evaluate --split test

train-mechanisms: install
	$(BIN)/python -m devtools.mechanisms train
	$(BIN)/python -m devtools.mechanisms evaluate --split test

lint: install
	$(BIN)/ruff check pipeline dashboard devtools tests
	$(BIN)/ruff format --check pipeline dashboard devtools tests

clean:
	rm -rf $(VENV) build *.egg-info bench-data test-artifacts
