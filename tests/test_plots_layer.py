"""One presentation layer: every chart is drawn in growthpole/plots/.

No module of the package outside ``growthpole/plots/`` (experiments, analyses, the
calibration report, the commands, the report, the app), no script in docs/ or benchmarks/
and no notebook code cell imports matplotlib or draws: they compute tables and hand them to
a function of :mod:`growthpole.plots`. And where the CLI and a notebook show the same
analysis they call the same chart function, so the PNG a command writes is the figure the
notebook shows.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "growthpole"
PLOTS = PACKAGE / "plots"

#: modules allowed to import matplotlib or draw outside growthpole/plots/, with the reason.
#: Empty: the app shows plots' figures through solara.FigureMatplotlib without importing
#: matplotlib itself, and the notebooks' "%matplotlib inline" is a display setting (a magic,
#: not code).
ALLOWED: dict[str, str] = {}

#: calls that create or draw on a figure (pyplot, Figure and Axes methods; pandas .plot)
DRAWING_CALLS = frozenset(
    {
        "subplots",
        "subplot",
        "add_subplot",
        "figure",
        "Figure",
        "savefig",
        "plot",
        "bar",
        "barh",
        "scatter",
        "fill_between",
        "errorbar",
        "hist",
        "imshow",
        "stackplot",
        "axvline",
        "axhline",
        "axvspan",
        "set_xlabel",
        "set_ylabel",
        "tight_layout",
    }
)


def _dask_client(function: ast.expr) -> bool:
    """``client.scatter(...)`` / ``self.client.scatter(...)``: Dask's scatter, not a chart."""
    receiver = function.value if isinstance(function, ast.Attribute) else None
    name = (
        receiver.id
        if isinstance(receiver, ast.Name)
        else receiver.attr
        if isinstance(receiver, ast.Attribute)
        else ""
    )
    return name.endswith("client")


def drawing(source: str) -> list[str]:
    """What in ``source`` imports matplotlib or draws a chart: 'line N: ...' entries."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            names = []
        found += [
            f"line {node.lineno}: imports {name}"
            for name in names
            if name == "matplotlib" or name.startswith("matplotlib.")
        ]
        if isinstance(node, ast.Call):
            function = node.func
            name = (
                function.attr
                if isinstance(function, ast.Attribute)
                else function.id
                if isinstance(function, ast.Name)
                else None
            )
            if name in DRAWING_CALLS and not _dask_client(function):
                found.append(f"line {node.lineno}: calls {name}()")
    return found


def notebook_source(path: Path) -> str:
    """The code cells of a notebook as one Python module (IPython magics and shell lines
    dropped)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    lines = []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        text = "".join(cell["source"])
        lines += [line for line in text.splitlines() if not line.lstrip().startswith(("%", "!"))]
        lines.append("")
    return "\n".join(lines)


def _sources() -> list[tuple[str, str]]:
    files = [p for p in sorted(PACKAGE.rglob("*.py")) if PLOTS not in p.parents]
    files += sorted((ROOT / "docs").glob("*.py")) + sorted((ROOT / "benchmarks").glob("*.py"))
    sources = [(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8")) for p in files]
    sources += [
        (str(p.relative_to(ROOT)), notebook_source(p))
        for p in sorted((ROOT / "notebooks").glob("*.ipynb"))
    ]
    return sources


def test_no_chart_is_drawn_outside_growthpole_plots():
    sources = _sources()
    assert any(name.endswith(".ipynb") for name, _ in sources)  # the notebooks are scanned
    assert any(name == "growthpole/report.py" for name, _ in sources)
    offenders = {
        name: found
        for name, source in sources
        if name not in ALLOWED and (found := drawing(source))
    }
    assert not offenders, (
        "charts drawn outside growthpole/plots/ (move the drawing into a plots function and "
        f"call it from every place that shows the chart): {offenders}"
    )


def test_the_allow_list_names_existing_files_with_reasons():
    for name, reason in ALLOWED.items():
        assert (ROOT / name).is_file(), name
        assert reason.strip(), name


@pytest.mark.parametrize(
    "snippet",
    [
        "import matplotlib.pyplot as plt\n",
        "from matplotlib.figure import Figure\n",
        "fig, ax = plt.subplots()\n",
        "ax.plot([0, 1], [1, 2])\n",
        "table.plot(kind='bar')\n",
        "fig.savefig('x.png')\n",
        "self.axes.scatter(x, y)\n",
    ],
)
def test_the_scan_can_fail(snippet):
    assert drawing(snippet)


def test_the_scan_ignores_table_code_and_plots_calls():
    assert not drawing("from growthpole import plots\nplots.save_figure(plots.gdp_fan(t), p)\n")
    assert not drawing("frame.groupby('year').median()\nnp.quantile(x, 0.5)\n")
    assert not drawing("shared = self.client.scatter(payload, broadcast=True)\n")


def test_notebook_code_cells_are_scanned_without_their_magics(tmp_path):
    notebook = {
        "cells": [
            {"cell_type": "markdown", "source": ["plt.subplots() in prose is not code\n"]},
            {"cell_type": "code", "source": ["%matplotlib inline\n", "x = 1\n"]},
            {"cell_type": "code", "source": ["fig, ax = plt.subplots()\n"]},
        ],
    }
    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    source = notebook_source(path)
    assert "%matplotlib" not in source and "prose" not in source
    assert drawing(source) == ["line 3: calls subplots()"]


def _plots_calls(source: str) -> set[str]:
    """Names of the growthpole.plots functions a source calls (``plots.NAME(...)``)."""
    return {
        node.func.attr
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "plots"
    }


#: analysis -> (the module that writes its PNG from the CLI, the notebook that shows it, the
#: growthpole.plots function both call)
SAME_CHART = {
    "attribution": (
        "growthpole/commands/attribute.py",
        "04_sweeps_sensitivity_attribution",
        "attribution_waterfall",
    ),
    "sensitivity": (
        "growthpole/commands/sensitivity.py",
        "04_sweeps_sensitivity_attribution",
        "sensitivity_indices",
    ),
    "discovery": (
        "growthpole/commands/discover.py",
        "04_sweeps_sensitivity_attribution",
        "discovery_boxes",
    ),
    "hindcast": (
        "growthpole/calibration/report.py",
        "03_calibration_and_validation",
        "hindcast",
    ),
    "calibration fit": ("growthpole/report.py", "03_calibration_and_validation", "calibration_fit"),
    "GDP and rank fans": ("growthpole/report.py", "01_quickstart", "rank_fan"),
}


@pytest.mark.parametrize("analysis", sorted(SAME_CHART))
def test_the_cli_and_the_notebook_draw_an_analysis_with_one_function(analysis):
    module, notebook, function = SAME_CHART[analysis]
    from growthpole import plots

    assert callable(getattr(plots, function))
    cli = _plots_calls((ROOT / module).read_text(encoding="utf-8"))
    shown = _plots_calls(notebook_source(ROOT / "notebooks" / f"{notebook}.ipynb"))
    assert function in cli, f"{module} does not draw the {analysis} with plots.{function}"
    assert function in shown, f"notebook {notebook} does not show plots.{function}"


def test_plots_package_re_exports_every_public_function():
    """``from growthpole import plots; plots.NAME`` reaches every public function of every
    subject module (callers, tests and notebooks use the package, not the modules)."""
    import importlib
    import inspect

    from growthpole import plots

    modules = sorted(p.stem for p in PLOTS.glob("*.py") if p.stem != "__init__")
    assert {"theme", "forecast", "spatial", "attribution", "calibration"} <= set(modules)
    for stem in modules:
        module = importlib.import_module(f"growthpole.plots.{stem}")
        for name, value in vars(module).items():
            if (
                inspect.isfunction(value)
                and value.__module__ == module.__name__
                and not name.startswith("_")
            ):
                assert getattr(plots, name, None) is value, f"plots.{name} ({stem}.py)"
                assert name in plots.__all__, name
