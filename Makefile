# growthpole: two commands for a newcomer, `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared

.PHONY: run test test-fast test-cluster test-reference app notebooks lint typecheck benchmark clean system-deps solara-assets

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev,viz]"
	touch $@ $(VENV)/.installed

# The national city panel ships in data/city_gdp.csv: no step needs anything outside the
# repository. A researcher with a full licensed panel may add it with
# `growthpole data import PANEL.csv` (git-ignored data/imported/, replaces years it holds).
run: $(VENV)/.installed
	$(BIN)/growthpole run scenarios/baseline.yaml --overwrite

test: $(VENV)/.dev-installed system-deps solara-assets lint typecheck
	$(BIN)/python -m pytest -q -n 2 --dist loadgroup -m "not cluster"

# the fast tier, for the edit-test loop: the suite without the tests marked slow, browser,
# notebook, reference or cluster (pyproject.toml [tool.pytest.ini_options] markers)
test-fast: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -q -n 2 -m "not slow and not browser and not notebook and not reference and not cluster"

# `growthpole sweep --cluster slurm` on a real single-node SLURM on localhost (installs
# slurm-wlm + munge from Debian when root; skips with its reason where it cannot run)
test-cluster: $(VENV)/.dev-installed
	PYTHON=$(BIN)/python .ci/test-cluster.sh

# the tests that compare data/ with the reference folder (this project's machines only);
# GROWTHPOLE_SHARED points them elsewhere
test-reference: $(VENV)/.dev-installed
	GROWTHPOLE_SHARED=$(SHARED) $(BIN)/python -m pytest -q -m reference -rs

# the interactive page (SolaraViz) on http://127.0.0.1:8765, offline: the viz extra and
# Solara's JavaScript/CSS bundles from the npm registry into its own asset cache
app: $(VENV)/.dev-installed solara-assets
	$(BIN)/solara run growthpole/app.py --host 127.0.0.1 --port 8765

# the notebooks in Jupyter Lab, bound to this machine only
notebooks: $(VENV)/.dev-installed
	$(BIN)/jupyter lab --ip 127.0.0.1 --no-browser notebooks/

# Debian packages for the figures and the browser test: CJK fonts (Chinese place names) and
# chromium (tests/test_app_browser.py). Installed only when missing and when root; otherwise
# the browser test skips with its reason and figures fall back to English names.
SYSTEM_PACKAGES := chromium fonts-noto-cjk
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing$$missing"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) \
			>/dev/null || echo "note: could not install$$missing (browser test will skip)"; \
	elif [ -n "$$missing" ]; then \
		echo "note: missing$$missing (not root: browser test skips, figures use English names)"; \
	fi

# The Solara page loads a few JavaScript/CSS bundles from a CDN. Machines without internet
# (this project's) get them once from the npm registry into Solara's own asset cache.
SOLARA_CDN := $(VENV)/share/solara/cdn
solara-assets:
	@template=$$(ls $(VENV)/lib/python3*/site-packages/solara/server/templates/solara.html.j2 \
		2>/dev/null | head -1); [ -n "$$template" ] || exit 0; \
	for spec in $$(grep -o '{{cdn}}/[^/"]*/\?[^/"]*@[0-9][0-9.]*' $$template | sed 's|{{cdn}}/||' \
			| sort -u) font-awesome@4.5.0 @widgetti/vue-grid-layout@2.3.13-alpha.2; do \
		[ -d "$(SOLARA_CDN)/$$spec" ] && continue; \
		command -v npm >/dev/null || { echo "note: npm missing; Solara loads $$spec from its CDN"; continue; }; \
		tmp=$$(mktemp -d); \
		if (cd $$tmp && npm pack --silent "$$spec" >/dev/null 2>&1); then \
			mkdir -p "$(SOLARA_CDN)/$$spec" && tar xzf $$tmp/*.tgz -C "$(SOLARA_CDN)/$$spec" \
				--strip-components=1; \
		else echo "note: could not fetch $$spec from npm; Solara loads it from its CDN"; fi; \
		rm -rf $$tmp; \
	done

# ruff's lint and format check on the whole tree (pyproject.toml [tool.ruff]); part of
# `make test`, so .ci/run fails on a lint error or an unformatted file
lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy on growthpole/ with the pydantic plugin (pyproject.toml [tool.mypy]); part of
# `make test`, so .ci/run fails on a type error. ~15 s cold, a few seconds with its cache
typecheck: $(VENV)/.dev-installed
	$(BIN)/python -m mypy

benchmark: $(VENV)/.installed
	$(BIN)/python benchmarks/run.py --json benchmarks/latest.json

clean:
	rm -rf runs .pytest_cache
