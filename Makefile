# Thin wrappers over `python -m analysis ...`; every target sets up .venv on first use.
# The same commands work without make: see README.md.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
LOCK   := requirements.lock
ARGS   ?=
# The project's Jupyter kernel (make lab), registered in .venv (KERNEL_PREFIX elsewhere).
KERNEL        := responsible-cooperation
KERNEL_PREFIX ?= $(VENV)

.DEFAULT_GOAL := help
.PHONY: help setup kernel git-filter lock report report-fi report-force release audit-release brief fetch pdf texts-review tables-doc test test-fast lint format lab demo bench strip clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# Every package at the version and hashes of the lock, then the project itself without deps.
$(STAMP): pyproject.toml $(LOCK) package-lock.json
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11 (or newer)")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@# axe-core for the browser test's accessibility check (package-lock.json pins it).
	@if command -v npm >/dev/null 2>&1; then npm ci --silent --no-audit --no-fund; \
	else echo "npm not found: the accessibility check will be skipped (apt-get install npm)"; fi
	@touch $(STAMP)

$(LOCK):
	@echo "$(LOCK) is missing: restore it with git checkout -- $(LOCK)" >&2; exit 1

setup: $(STAMP) ## Create .venv and install the project from requirements.lock; register its kernel and the nbstripout git filter
	@$(MAKE) --no-print-directory kernel git-filter

# Both are idempotent; setup runs them once .venv is there.
kernel: ## Register .venv's Jupyter kernel, named responsible-cooperation (new notebooks in make lab use it)
	$(PY) -m ipykernel install --prefix $(KERNEL_PREFIX) --name $(KERNEL) \
		--display-name "Python ($(KERNEL), .venv)"

# Notebooks are committed without outputs: git runs nbstripout on every .ipynb it stores
# (.gitattributes names the filter; this writes its command into .git/config). A clone where
# setup has not run ignores the undefined filter.
git-filter: ## Install the nbstripout git filter for this checkout (.git/config)
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		$(VENV)/bin/nbstripout --install --attributes .gitattributes; \
	else echo "not a git checkout: no nbstripout filter installed"; fi

# The lock is for CI's kind of machine: Linux x86_64 and Python 3.11, the oldest that
# pyproject.toml allows. uv keeps the versions already locked unless ARGS=--upgrade.
lock: $(STAMP) ## Regenerate requirements.lock from pyproject.toml, dev extra included (ARGS=--upgrade)
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --generate-hashes \
		--python-version 3.11 --python-platform x86_64-unknown-linux-gnu \
		--output-file $(LOCK) $(ARGS)

report: $(STAMP) ## Regenerate reports/report.html (ARGS="-p min_cell=10 --only clean_survey")
	$(PY) -m analysis report $(ARGS)

report-fi: $(STAMP) ## The Finnish edition: reports/report.fi.html (same as ARGS="-p lang=fi")
	$(PY) -m analysis report -p lang=fi $(ARGS)

report-force: $(STAMP) ## Rerun every step even if unchanged
	$(PY) -m analysis report --force $(ARGS)

release: $(STAMP) ## Every edition and institution report with their data in reports/release/, audited (fails if anything is recoverable)
	$(PY) -m analysis release $(ARGS)

audit-release: $(STAMP) ## Attack a release folder as a reader would (RELEASE=reports/release)
	$(PY) -m analysis audit-release $(or $(RELEASE),reports/release) $(ARGS)

brief: $(STAMP) ## A partner due-diligence brief in reports/briefs/ (ARGS="--partner 0zz004302")
	$(PY) -m analysis brief $(ARGS)

fetch: $(STAMP) ## Download the public sources into data/raw/public (ARGS="--source cordis")
	$(PY) -m analysis fetch $(ARGS)

pdf: report ## Print the report to reports/report.pdf with headless Chromium (Debian's chromium)
	$(PY) -m analysis pdf

test: $(STAMP) ## Run the whole test suite, end-to-end pipeline included
	$(PY) -m pytest $(ARGS)

test-fast: $(STAMP) ## Run the tests without the slow end-to-end ones
	$(PY) -m pytest -m "not slow" $(ARGS)

lint: $(STAMP) ## ruff check and format check (notebooks included)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP) ## Format the code and notebooks with ruff
	$(PY) -m ruff format .

lab: setup ## Open JupyterLab at the project root with the project's kernel
	$(VENV)/bin/jupyter lab --ServerApp.root_dir="$(CURDIR)" \
		--MultiKernelManager.default_kernel_name=$(KERNEL)

demo: $(STAMP) ## Regenerate the synthetic demo data in data/raw/demo/
	$(PY) -m analysis demo

texts-review: $(STAMP) ## Every text key with sample values in en, fi and sv side by side (reports/texts-review.html)
	$(PY) -m analysis texts-review

tables-doc: $(STAMP) ## Write docs/tables.md, the data dictionary, from the table schemas
	$(PY) -m analysis.catalog

bench: $(STAMP) ## Time a full rebuild and a no-op rebuild against a naive papermill/nbconvert CLI baseline
	$(PY) -m analysis bench $(ARGS)

# Through stdin, as the git filter does: the file is then byte for byte what git stores.
strip: $(STAMP) ## Remove outputs from the notebooks (keeps cell tags), as the git filter stores them
	@for nb in notebooks/*.ipynb notebooks/exploratory/*.ipynb; do \
		[ -f "$$nb" ] || continue; \
		$(VENV)/bin/nbstripout < "$$nb" > "$$nb.tmp" && mv "$$nb.tmp" "$$nb" || exit 1; \
	done

clean: ## Remove generated reports, figures and processed data (not the environment)
	rm -rf reports/executed reports/*.html reports/run_manifest.json reports/institutions reports/release reports/release-refused
	find figures data/processed -type f ! -name '.gitkeep' ! -name 'README.md' -delete
