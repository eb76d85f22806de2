"""Every notebook runs top to bottom (nbclient, the project's own kernel), so a notebook an
economist opens is never broken. Each is sized to run in about a minute."""

from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
EXPECTED = ("01_quickstart", "02_scenarios_and_levers", "03_calibration_and_validation",
            "04_sweeps_sensitivity_attribution")


def test_the_four_notebooks_exist():
    present = {p.stem for p in NOTEBOOKS.glob("*.ipynb")}
    assert set(EXPECTED) <= present, sorted(set(EXPECTED) - present)


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
    # kernel "python3": jupyter_client starts it with this interpreter (the project's venv)
    client = nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()
    errors = [output for cell in notebook.cells if cell.cell_type == "code"
              for output in cell.get("outputs", []) if output.get("output_type") == "error"]
    assert not errors
    # every figure cell produced an image (a figure that silently fails to draw is a bug)
    images = sum("image/png" in output.get("data", {}) for cell in notebook.cells
                 if cell.cell_type == "code" for output in cell.get("outputs", []))
    assert images >= 1
