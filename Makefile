# mieruka: two commands do all the set-up (see README.md).
#   make site   venv + dependencies + browser libraries, then the nightly build on the bundled sample
#   make test   the whole test suite (ruff first)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
# why: axe-playwright-python reads its script in the locale encoding; keep every tool on UTF-8.
export LANG := C.UTF-8
export PYTHONUTF8 := 1

.PHONY: site test serve install lint typecheck bench bench-national bench-report clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

site: install
	$(BIN)/mieruka build
	@echo
	@echo "Site built in output/ (English: output/en/), data packages in datapackages/."
	@echo "Look at it:  make serve   then open http://localhost:8000"

serve: install
	$(BIN)/mieruka serve

lint: install
	$(BIN)/ruff check .

# mypy over pipeline/ (settings in pyproject.toml's [tool.mypy]); must report no error
typecheck: install
	$(BIN)/mypy

test: install lint typecheck
	$(BIN)/pytest -n 2 --dist loadfile $(PYTEST_ARGS)

clean:
	rm -rf output .work .pytest_cache
	find datapackages -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +

bench: install
	$(BIN)/python bench/run.py --workload prefecture --runs 3 --write docs/benchmarks.md

# The national shape (1,741 bodies, about 10 million cases) takes long: run it on its own; make bench
# merges its last result (docs/benchmarks-national.json) into docs/benchmarks.md.
bench-national: install
	$(BIN)/python bench/national.py --write docs/benchmarks-national.json

# The report again from the last make bench's results (bench-out/results.json), with the national figures.
bench-report: install
	$(BIN)/python bench/run.py --report-only --write docs/benchmarks.md

# The join attack and the location utility figures of the sample build (docs/privacy.md).
.PHONY: privacy-audit
privacy-audit: site
	$(BIN)/python -m pipeline.audit --raw .work/sample --packages datapackages --site output

# A portal built from real exports of other organisations (../shared/data/real, see its SOURCES.md) with
# the adapters in examples/real/ (data only). Writes .work/real/ and prints rows in, published and
# quarantined per body and table. The pseudonym secret is made once in .work/real/secret and kept.
REAL_DATA ?= ../shared/data/real
REAL_DATE ?= 2026-12-01
REAL := .work/real
.PHONY: real-data
real-data: install
	rm -rf $(REAL)/raw && mkdir -p $(REAL)/raw/352152_shunan $(REAL)/raw/990019_chicago $(REAL)/raw/990027_hoboken \
		$(REAL)/raw/990035_montreal $(REAL)/raw/991015_mlit-chugoku
	cp $(REAL_DATA)/shunan_safemap_R5/*.csv $(REAL)/raw/352152_shunan/
	cp $(REAL_DATA)/open311/chicago_*.json $(REAL)/raw/990019_chicago/
	cp $(REAL_DATA)/open311/hoboken_*.csv $(REAL)/raw/990027_hoboken/
	cp $(REAL_DATA)/ocds_montreal/*.json $(REAL)/raw/990035_montreal/
	cp $(REAL_DATA)/mlit_chugoku_bids/*.xls $(REAL)/raw/991015_mlit-chugoku/
	chmod -R u+w $(REAL)/raw
	test -s $(REAL)/secret || $(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > $(REAL)/secret
	MIERUKA_SECRET_FILE=$(REAL)/secret $(BIN)/python -m pipeline.cli build --raw $(REAL)/raw --adapters examples/real \
		--packages $(REAL)/datapackages --output $(REAL)/site --date $(REAL_DATE)
