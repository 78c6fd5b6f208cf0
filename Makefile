# Two commands do all set-up: `make demo` and `make test`. Both create .venv when
# missing and install the project into it (editable, with the test tools).

# The Python that makes .venv: pyenv's 3.13, else a python3.13 or python3.12 that runs,
# else python3. On 3.12 and later coverage watches the code through sys.monitoring
# (COVERAGE_CORE=sysmon, set by `test`), which adds about a tenth to the suite's CPU
# time; on 3.11 its C tracer adds one and a half times the suite's own (measured on
# the interview, strategy and edition tests: 29 s alone, 69 s with coverage on 3.11,
# 31 s with coverage on 3.13). An existing .venv is kept whatever its Python.
PYTHON ?= $(shell for p in $(HOME)/.pyenv/versions/3.13.*/bin/python3.13 python3.13 python3.12; do \
	"$$p" -c '' >/dev/null 2>&1 && { echo "$$p"; exit 0; }; done; echo python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
DEMO_CASE := examples/old-government-office.yaml

.PHONY: demo test lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): $(BIN)/python setup.cfg setup.py pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(INSTALLED)

demo: $(INSTALLED)
	$(BIN)/perencana advise $(DEMO_CASE)

# Lint (ruff check, ruff format --check), then the whole suite, the `slow` tests too,
# in parallel (pytest-xdist, one worker per CPU; --dist loadfile: each file to one
# worker, the longest first; tests/conftest.py says which and why),
# with coverage of the code perencana ships (the coverage data files are kept inside
# .venv). PYTEST_ARGS adds to pytest's arguments, e.g. PYTEST_ARGS='-m "not slow"' to
# leave out the builds, browsers and pseudo-terminals, or PYTEST_ARGS=-n0 to run in one
# process.
COVERAGE := --cov=perencana.engine --cov=perencana.rules --cov=perencana.knowledge \
	--cov=perencana.cli \
	--cov-report=term-missing:skip-covered
PYTEST_ARGS ?=

test: $(INSTALLED) lint
	if $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
		export COVERAGE_CORE=sysmon; fi; \
	COVERAGE_FILE=$(VENV)/.coverage $(BIN)/python -m pytest -n auto --dist loadfile \
		$(COVERAGE) $(PYTEST_ARGS)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) build dist *.egg-info

# Speed and memory figures beside their references (bench/run.py); not part of `test`.
.PHONY: bench
bench: $(INSTALLED)
	$(BIN)/python bench/run.py

# Coverage-guided fuzzing of the case loader and validator (atheris, the `fuzz` extra)
# for FUZZ_TIME seconds; not part of `test`. A crash is kept in tests/fuzz_regressions/,
# which the test suite replays: fix the loader, then commit the input with the fix.
FUZZ_TIME ?= 60
FUZZ_INSTALLED := $(VENV)/.fuzz-installed

$(FUZZ_INSTALLED): $(INSTALLED)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,fuzz]'
	touch $(FUZZ_INSTALLED)

.PHONY: fuzz fuzz-loader fuzz-resume fuzz-set fuzz-csv
fuzz: fuzz-loader fuzz-resume fuzz-set fuzz-csv

fuzz-loader: $(FUZZ_INSTALLED)
	$(BIN)/python fuzz/fuzz_case_loader.py -max_total_time=$(FUZZ_TIME) -timeout=20 \
		-max_len=4096 -dict=fuzz/case.dict -artifact_prefix=tests/fuzz_regressions/

# The partial file of interview --resume, whatif's --set PATH=VALUE and CSV rows
# (fuzz/targets.py); their crashes are kept in tests/fuzz_regressions/NAME/.
fuzz-resume fuzz-set fuzz-csv: fuzz-%: $(FUZZ_INSTALLED)
	$(BIN)/python fuzz/targets.py $* -max_total_time=$(FUZZ_TIME) -timeout=20 \
		-max_len=4096 -dict=fuzz/case.dict -artifact_prefix=tests/fuzz_regressions/$*/
