"""Every notebook runs top to bottom (nbclient, the project's own kernel), so a notebook an
economist opens is never broken. Each is sized to run in about a minute."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
EXPECTED = (
    "01_quickstart",
    "02_scenarios_and_levers",
    "03_calibration_and_validation",
    "04_sweeps_sensitivity_attribution",
)


def test_the_four_notebooks_exist():
    present = {p.stem for p in NOTEBOOKS.glob("*.ipynb")}
    assert set(EXPECTED) <= present, sorted(set(EXPECTED) - present)


#: first cell of a checked notebook: keep every matplotlib Figure it creates
RECORD_FIGURES = f"""
import sys as _sys
_sys.path.insert(0, {str(NOTEBOOKS.parent)!r})
import matplotlib.figure as _mpl_figure
_RECORDED_FIGURES = []
_figure_init = _mpl_figure.Figure.__init__
def _recording_init(self, *args, **kwargs):
    _figure_init(self, *args, **kwargs)
    _RECORDED_FIGURES.append(self)
_mpl_figure.Figure.__init__ = _recording_init
"""

#: last cell: every recorded figure names the unit of each numeric axis
CHECK_FIGURE_UNITS = """
from tests.figure_checks import units_on_numeric_axes
for _fig in _RECORDED_FIGURES:
    units_on_numeric_axes(_fig)
print("FIGURE-UNITS-CHECKED", len(_RECORDED_FIGURES))
"""


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.parametrize("name", EXPECTED)
def test_notebook_runs(name):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    path = NOTEBOOKS / f"{name}.ipynb"
    if not path.is_file():
        pytest.fail(f"{path} is missing")
    notebook = nbformat.read(path, as_version=4)
    # every figure the notebook creates is recorded (a first cell wraps Figure.__init__)
    # and, after the last cell, checked for units on its numeric axes by the rule of the
    # figure tests (tests.figure_checks)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(RECORD_FIGURES))
    notebook.cells.append(nbformat.v4.new_code_cell(CHECK_FIGURE_UNITS))
    # kernel "python3": jupyter_client starts it with this interpreter (the project's venv)
    client = nbclient.NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()
    errors = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert not errors
    # every figure cell produced an image (a figure that silently fails to draw is a bug)
    images = sum(
        "image/png" in output.get("data", {})
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
    )
    assert images >= 1
    checked = "".join(o.get("text", "") for o in notebook.cells[-1].get("outputs", []))
    count = re.search(r"FIGURE-UNITS-CHECKED (\d+)", checked)
    assert count and int(count.group(1)) >= 1, checked


#: run after notebook 03 in its own kernel: the rank table it shows and the hindcast figure it
#: draws (growthpole.plots.hindcast, as `growthpole calibrate` does) come from one
#: computation, the calibration report's hindcast
NOTEBOOK_03_CHECK = """
import numpy as np
assert report is not None, "no shipped calibration report: notebook 03 shows no hindcast"
assert rank_table is not None, "the hindcast has no national rank (no national panel?)"
rank_axes = next(ax for ax in hindcast_figure.axes if ax.get_gid() == "hindcast:rank")
line = next(l for l in rank_axes.get_lines()
            if str(l.get_label()).startswith("simulated median"))
drawn = pd.Series(np.asarray(line.get_ydata(), float),
                  index=np.asarray(line.get_xdata(), float).astype(int))
table = rank_table.set_index("year").simulated_median
assert set(table.index) <= set(drawn.index), (sorted(table.index), sorted(drawn.index))
np.testing.assert_allclose(drawn.loc[table.index].to_numpy(), table.to_numpy())
# the same rows as the report's rank verdict (the function the report uses): the worst
# in-window error agrees with the shipped report within one place (else the report is stale:
# re-run `growthpole calibrate`)
reported = report["targets"]["national_rank_within_2_every_window_year"]["max_abs_error"]
worst = rank_table.query("sample == 'in'").error.abs().max()
assert abs(worst - reported) <= 1, (worst, reported)
print("NOTEBOOK-03-CONSISTENT", worst, reported)
"""


@pytest.mark.notebook
@pytest.mark.slow
def test_notebook_03_table_and_figure_come_from_one_computation():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    path = NOTEBOOKS / "03_calibration_and_validation.ipynb"
    notebook = nbformat.read(path, as_version=4)
    source = "".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    computed = re.findall(r"(?<![.\w])hindcast\(", source)  # not plots.hindcast(, the figure
    assert len(computed) == 1, "notebook 03 must compute its hindcast once"
    notebook.cells.append(nbformat.v4.new_code_cell(NOTEBOOK_03_CHECK))
    client = nbclient.NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()
    outputs = notebook.cells[-1].get("outputs", [])
    errors = [o for o in outputs if o.get("output_type") == "error"]
    assert not errors, "\n".join(errors[0].get("traceback", [])) if errors else ""
    assert any("NOTEBOOK-03-CONSISTENT" in o.get("text", "") for o in outputs)
