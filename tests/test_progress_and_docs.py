"""Progress reporting and the tutorial (its code runs here, as in `make docs`)."""

import io
import subprocess
import sys
from pathlib import Path

import pytest

import ionzoo as iz
from ionzoo.progress import ProgressBar

ROOT = Path(__file__).resolve().parents[1]


def test_progress_callback_reaches_one(hh):
    seen = []
    cell = hh.with_params(**{"K.gbar": [30.0] * 2000})  # 8e7 neuron-steps: several chunks
    iz.simulate(cell, 10.0, t_stop=1000.0, record=None, progress=seen.append)
    assert len(seen) >= 2 and seen == sorted(seen) and seen[-1] == 1.0


def test_progress_bar_text():
    buf = io.StringIO()
    bar = ProgressBar("hh1952", buf, auto=False)
    bar(0.5)
    bar(1.0)
    bar.close()
    text = buf.getvalue()
    assert "50.0%" in text and "100.0%" in text and text.endswith("\n")


def test_auto_progress_bar_stays_quiet_for_short_runs():
    buf = io.StringIO()
    bar = ProgressBar("x", buf, auto=True)
    bar(0.9)
    bar.close()
    assert buf.getvalue() == ""


def build_page(tmp_path, page: str):
    """Run a docs page's Python blocks with docs/build.py into ``tmp_path``; the finished
    process (its stdout holds what the page prints)."""
    proc = subprocess.run([sys.executable, str(ROOT / "docs" / "build.py"), "--out",
                           str(tmp_path), str(ROOT / page)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


def test_tutorial_runs_and_writes_its_figures(tmp_path):
    proc = build_page(tmp_path, "docs/tutorials/01_hodgkin_huxley.md")
    figures = sorted(p.name for p in (tmp_path / "figures").glob("*.png"))
    assert figures == ["01_drugs.png", "01_fi.png", "01_gating.png", "01_mechanism.png",
                       "01_phase.png", "01_temperature.png", "01_traces.png"]
    assert "alpha_m(-40 mV) = 1.0 /ms" in proc.stdout


def test_building_tutorial_runs_and_its_neuron_passes_the_feature_checks(tmp_path):
    """Tutorial 2 builds a cortical neuron from ten zoo channels; the page itself asserts the
    feature ranges (rest, AP height and width, rate, adaptation), so it fails if they fail."""
    proc = build_page(tmp_path, "docs/tutorials/02_building_a_neuron.md")
    assert "+ L, T, pool, SK" in proc.stdout and "adaptation_index" in proc.stdout
    for name in ("02_steps.png", "02_fi.png"):
        assert (tmp_path / "figures" / name).exists()


def test_voltage_clamp_tutorial_runs_and_reproduces_the_models_own_numbers(tmp_path):
    """Tutorial 4: its figures, TTX leaving I_K unchanged, the subtracted I_Na equal to the
    blocked part of the model's (1e-9), and recovery giving τ_h(−80) = 6.28 ms."""
    proc = build_page(tmp_path, "docs/tutorials/04_voltage_clamp.md")
    figures = sorted(p.name for p in (tmp_path / "figures").glob("*.png"))
    assert figures == ["04_conductances.png", "04_drugs.png", "04_series_resistance.png",
                       "04_steady_states.png", "04_step_family.png"]
    lines = dict(line.rsplit(":", 1) for line in proc.stdout.splitlines() if ":" in line)
    assert float(lines["TTX leaves I_K unchanged"]) == 0.0
    assert float(lines["largest difference of the subtracted I_Na from the blocked fraction "
                       "of the model's I_Na"]) < 1e-9
    assert "recovery τ = 6.28" in proc.stdout


def test_dynamics_tutorial_runs_and_finds_the_published_points(tmp_path):
    """Tutorial 3: HH's Hopf points (9.775438, 154.522434), the simulated hysteresis within
    the fold of cycles (6.26) and the lower Hopf point, Morris–Lecar's saddle-node (39.963) and
    the Hopf points meeting at 28.86 °C, and the fold of cycles (6.260321, 19.8952 ms)."""
    proc = build_page(tmp_path, "docs/tutorials/03_dynamics.md")
    out = proc.stdout
    assert "hopf   9.775438" in out and "hopf 154.522434" in out
    assert "rests from rest and fires from a train for I in [6.5, 9.75]" in out
    assert "('saddle_node', 39.963)" in out and "meet at [28.858]" in out
    assert "fold of cycles at 6.260321 µA/cm², period 19.8952 ms" in out
    figures = sorted(p.name for p in (tmp_path / "figures").glob("*.png"))
    assert figures == ["03_bifurcation.png", "03_cycles.png", "03_hysteresis.png",
                       "03_morris_lecar.png", "03_temperature.png", "03_two_fates.png",
                       "03_types.png"]


def test_model_database_tutorial_runs_and_resumes(tmp_path):
    """Tutorial 5: the Fig. 2C burster's numbers (10 spikes per burst), a 162-model sweep in 6
    chunks, a rerun that computes nothing, the class table summing to 162, its figures."""
    proc = build_page(tmp_path, "docs/tutorials/05_model_database.md")
    out = proc.stdout
    assert "class: regular_bursting" in out and "spikes per burst: 10" in out
    assert "models: 162" in out and "chunks: 6 of 6" in out
    assert "6 of 6 chunks already finished, 0 to compute" in out
    counts = [int(line.split()[1]) for line in out.splitlines()
              if line.split()[:1] and line.split()[0] in iz.analysis.CLASSES]
    assert sum(counts) == 162
    assert "full grid: 1679616 models" in out
    figures = sorted(p.name for p in (tmp_path / "figures").glob("*.png"))
    assert figures == ["05_burster.png", "05_database.png"]


def test_reference_pages_are_generated(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "docs" / "gen_reference.py"), "--out",
                           str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    from ionzoo.channels import REGISTRY
    from ionzoo.model.params import pretty_unit
    from ionzoo.models import REGISTRY as MODELS

    for key in REGISTRY:
        page = (tmp_path / "channels" / f"{key.replace('.', '_')}.md").read_text()
        gbar_unit = pretty_unit(REGISTRY[key]().parameter_spec("gbar").unit)  # mS/cm², cm/s
        assert "## Parameters" in page and f"| {gbar_unit} |" in page and "Source:" in page
        assert (tmp_path / "channels" / "figures" / f"{key.replace('.', '_')}.png").exists()
    for key in MODELS:
        assert (tmp_path / "models" / f"{key}.md").exists()


@pytest.mark.parametrize("page", ["fi_and_rheobase.md", "drugs.md", "temperature.md",
                                  "spikes.md", "dynamics.md", "initial_state.md",
                                  "voltage_clamp.md", "synapses.md", "sweeps.md",
                                  "import_nmodl.md", "explore.md"])
def test_howto_code_runs(tmp_path, page):
    # pages run from docs/howto and name the test corpus as ../../tests/data/...
    out = tmp_path / "docs" / "howto"
    out.mkdir(parents=True)
    (tmp_path / "tests").symlink_to(ROOT / "tests")
    build_page(out, f"docs/howto/{page}")


TUTORIALS = sorted((ROOT / "docs" / "tutorials").glob("[0-9]*.md"))


def test_every_tutorial_has_its_generated_notebook():
    """docs/notebooks/*.ipynb are made from the Markdown pages (docs/notebooks.py) and must
    equal what the script makes now: the two never drift."""
    proc = subprocess.run([sys.executable, str(ROOT / "docs" / "notebooks.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    made = sorted(p.stem for p in (ROOT / "docs" / "notebooks").glob("*.ipynb"))
    assert made == [p.stem for p in TUTORIALS]


@pytest.mark.slow
@pytest.mark.parametrize("page", [p.name for p in TUTORIALS])
def test_notebook_runs_top_to_bottom(tmp_path, page):
    """Each notebook executes without error in a fresh kernel (nbclient) and shows its figures
    inline: as many images as the page saves."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(ROOT / "docs" / "notebooks" / page.replace(".md", ".ipynb"), 4)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    images = sum("image/png" in out.get("data", {}) for cell in nb.cells
                 if cell.cell_type == "code" for out in cell.get("outputs", []))
    saved = (ROOT / "docs" / "tutorials" / page).read_text().count('.savefig("figures/')
    assert images == saved > 0
