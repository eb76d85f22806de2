# growthpole: two commands for a newcomer, `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
REFERENCE_PANEL ?= $(SHARED)/reference-data/csmar_city_gdp_1990_2021.csv
IMPORTED := data/imported/city_gdp_imported.csv

.PHONY: run test panel lint benchmark clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev,viz]"
	touch $@ $(VENV)/.installed

# A full national panel (CSMAR or yearbook) is licensed data: it is imported into the
# git-ignored data/imported/, never committed. On this project's machines the reference
# panel sits in ../shared; elsewhere run `growthpole data import YOUR_PANEL.csv`.
panel: $(VENV)/.installed
	@if [ ! -f $(IMPORTED) ] && [ -f $(REFERENCE_PANEL) ]; then \
		$(BIN)/growthpole data import $(REFERENCE_PANEL); \
	elif [ ! -f $(IMPORTED) ]; then \
		echo "note: no national city panel imported; see README (growthpole data import)"; \
	fi

run: $(VENV)/.installed panel
	$(BIN)/growthpole run scenarios/baseline.yaml --overwrite

test: $(VENV)/.dev-installed panel
	$(BIN)/python -m pytest -q -n 2 --dist loadgroup

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check growthpole tests benchmarks

benchmark: $(VENV)/.installed
	$(BIN)/python benchmarks/run.py --json benchmarks/latest.json

clean:
	rm -rf runs .pytest_cache
