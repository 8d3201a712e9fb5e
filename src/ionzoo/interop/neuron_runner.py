"""Running ionzoo models in NEURON (the optional ``neuron`` extra: ``pip install ionzoo[neuron]``).

* :func:`run_in_neuron` — a neuron's exported NMODL mechanisms (:mod:`ionzoo.interop.nmodl`)
  compiled with ``nrnivmodl`` and run in one NEURON section with the matching fixed-step scheme;
* :func:`run_mechanisms` — the same for mechanisms given as .mod sources (the original
  published files), with their parameters set by name;
* :func:`run_neuroml_in_neuron` — an independent path: jNeuroML translates ionzoo's NeuroML
  export to NEURON itself.

NEURON, pyNeuroML and a C compiler are needed only here; nothing else in ionzoo imports them.
"""

from __future__ import annotations

import numpy as np

from ..errors import ValidationError
from ..model.stimulus import Pulse, Step, as_stimulus

__all__ = ["mechanism_sources", "compile_mechanisms", "load_mechanisms_for", "run_in_neuron",
           "run_mod_files", "run_neuroml_in_neuron"]


def mechanism_sources(neurons) -> dict[str, str]:
    """NMODL sources (file name → text) of the channels and pools of one or more neurons."""
    from ..model.neuron import Neuron
    from .nmodl import channel_to_nmodl, mechanism_name, pool_name, pool_to_nmodl

    sources: dict[str, str] = {}
    for cell in [neurons] if isinstance(neurons, Neuron) else neurons:
        for ch in cell.channels:
            if ch.gates or ch.ion == "ca":
                sources[f"{mechanism_name(ch)}.mod"] = channel_to_nmodl(ch)
        if cell.calcium is not None and cell.calcium.pool:
            sources[f"{pool_name(cell.calcium)}.mod"] = pool_to_nmodl(cell.calcium)
    return sources


def compile_mechanisms(sources: dict[str, str]) -> str:
    """Compile NMODL ``sources`` with ``nrnivmodl`` into a directory of the kernel cache (reused
    while the sources are the same); returns the directory. Needs NEURON and a C compiler.

    The build runs in a private temporary directory that is renamed into place when complete,
    so processes compiling the same sources at once (parallel test workers) never see or
    disturb each other's half-built directory; the first rename wins, the others' builds are
    discarded."""
    import hashlib
    import os
    import shutil
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    from ..backends.numba.cache import cache_dir

    digest = hashlib.sha256(repr(sorted(sources.items())).encode()).hexdigest()[:16]
    target = cache_dir().parent / "nrnmech" / digest
    if (target / "done").exists():
        return str(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():  # an incomplete directory left by an older ionzoo: rebuilt
        shutil.rmtree(target, ignore_errors=True)
    build = Path(tempfile.mkdtemp(prefix=f".{digest}-", dir=target.parent))
    try:
        for name, text in sources.items():
            (build / name).write_text(text)
        exe = Path(sys.executable).with_name("nrnivmodl")
        proc = subprocess.run([str(exe) if exe.exists() else "nrnivmodl", "."], cwd=build,
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"nrnivmodl failed in {build}:\n{proc.stdout[-3000:]}"
                               f"\n{proc.stderr[-3000:]}")
        (build / "done").write_text("ok")
        try:
            os.rename(build, target)
        except OSError:  # another process finished first: use its build
            if not (target / "done").exists():
                raise
    finally:
        if build.exists():
            shutil.rmtree(build, ignore_errors=True)
    return str(target)


#: Mechanism files already loaded into this process's NEURON (names must be unique there).
_LOADED_MECHANISMS: set[str] = set()


def load_mechanisms_for(neurons) -> None:
    """Compile and load the exported mechanisms of ``neurons`` that this process lacks."""
    from neuron import load_mechanisms

    missing = {k: v for k, v in mechanism_sources(neurons).items()
               if k not in _LOADED_MECHANISMS}
    if missing:
        load_mechanisms(compile_mechanisms(missing), warn_if_already_loaded=False)
        _LOADED_MECHANISMS.update(missing)


def _section(h, area: float, cm: float):
    """One NEURON section of ``area`` µm² (no end caps: L = diam), one segment."""
    import math

    sec = h.Section(name="iz_soma")
    sec.L = sec.diam = math.sqrt(area / math.pi)
    sec.nseg = 1
    sec.cm = cm
    return sec


def _clamps(h, sec, stimulus, area: float) -> list:
    """One IClamp per step or pulse of ``stimulus`` (µA/cm² → nA through ``area``)."""
    import math

    from ..model.stimulus import Pulse, Step, as_stimulus

    clamps = []
    for comp in as_stimulus(stimulus):
        if isinstance(comp, Step):
            start, stop = comp.start, comp.stop
        elif isinstance(comp, Pulse):
            start, stop = comp.start, comp.start + comp.duration
        else:
            raise ValidationError("stimulus", "NEURON runs support steps and pulses only")
        ic = h.IClamp(sec(0.5))
        ic.delay = float(start)
        ic.dur = 1e9 if math.isinf(stop) else float(stop - start)
        ic.amp = float(comp.amplitude) * area / 1e5
        clamps.append(ic)
    return clamps


def _run(h, sec, t_stop: float, dt: float, method: str, v_init: float, threshold: float,
         record: dict[str, object] | None = None):
    """Run NEURON's fixed step (``secondorder`` 0 or 2); (spike times, v, recorded traces)."""
    vec = h.Vector()
    vec.record(sec(0.5)._ref_v)
    traces = {}
    for name, ref in (record or {}).items():
        traces[name] = h.Vector()
        traces[name].record(ref)
    h.secondorder = 2 if method == "crank_nicolson" else 0
    h.dt = dt
    h.steps_per_ms = 1.0 / dt
    h.finitialize(v_init)
    pc = h.ParallelContext()
    pc.set_maxstep(10)
    pc.psolve(t_stop)
    v = np.array(vec)
    i = np.nonzero((v[:-1] < threshold) & (v[1:] >= threshold))[0]
    spikes = i * dt + dt * (threshold - v[i]) / (v[i + 1] - v[i])
    return spikes, v, {k: np.array(t) for k, t in traces.items()}


def run_in_neuron(neuron, stimulus, t_stop: float, dt: float, method: str = "crank_nicolson",
                  threshold: float = 0.0):
    """Run ``neuron`` under ``stimulus`` (steps and pulses) in NEURON with the exported
    mechanisms and the matching fixed-step scheme (``backward_euler`` → ``secondorder = 0``,
    ``crank_nicolson`` → 2). Returns (spike times in ms, v trace in mV at every step).

    The compartment has the neuron's area (1e5 µm² when it has none, so that 1 nA ≡ 1 µA/cm²),
    no end caps (L = diam), and one IClamp per stimulus component.
    """
    from neuron import h

    from .nmodl import (
        initial_assignments,
        mechanism_name,
        nmodl_gbar,
        nmodl_names,
        pool_name,
        pool_parameters,
        start_point,
    )

    load_mechanisms_for(neuron)
    h.load_file("stdrun.hoc")
    area = neuron.area or 1e5
    sec = _section(h, area, neuron.capacitance)
    h.celsius = neuron.temperature
    for ch in neuron.channels:
        if not ch.gates and ch.ion != "ca":
            sec.insert("pas")
            for seg in sec:
                seg.pas.g = ch.gbar / 1000.0
                seg.pas.e = ch.e
            continue
        name = mechanism_name(ch)
        sec.insert(name)
        for seg in sec:
            mech = getattr(seg, name)
            mech.gbar = nmodl_gbar(ch)
            mapped = nmodl_names(ch)
            for k, val in ch.parameters().items():
                if k != "gbar":
                    setattr(mech, mapped[k], val)
    i0 = sum(float(c.evaluate(0.0, {f: getattr(c, f) for f in c.numeric}))
             for c in as_stimulus(stimulus) if isinstance(c, (Step, Pulse)))
    v0, cai0 = start_point(neuron, i0)
    if neuron.calcium is not None:
        h.cai0_ca_ion = cai0
        h.cao0_ca_ion = neuron.calcium.cao
        if neuron.calcium.pool:
            pool = pool_name(neuron.calcium)
            sec.insert(pool)
            for seg in sec:
                getattr(seg, pool).cai0 = cai0
                for k, val in pool_parameters(neuron.calcium).items():
                    setattr(getattr(seg, pool), k, val)
    clamps = _clamps(h, sec, stimulus, area)
    sets = initial_assignments(neuron)
    middle = sec(0.5)

    def set_initial_states():
        for mech, state, value in sets:
            setattr(getattr(middle, mech), state, value)

    handler = h.FInitializeHandler(1, set_initial_states) if sets else None
    spikes, v, _ = _run(h, sec, t_stop, dt, method, v0, threshold)
    del clamps, sec, handler
    return spikes, v


def run_mod_files(directories, *, mechanisms: dict[str, dict[str, float]], stimulus,
                  t_stop: float, dt: float, method: str = "crank_nicolson",
                  celsius: float, v_init: float, cm: float = 1.0, area: float = 1e5,
                  ions: dict[str, float] | None = None, threshold: float = 0.0,
                  record: dict[str, tuple[str, str]] | None = None):
    """Run the .mod files of ``directories`` (one folder or several) — somebody else's,
    unchanged — in one NEURON section: ``mechanisms`` maps each SUFFIX to insert (``"pas"``
    and ``"hh"`` included) to its parameter values by NEURON name (RANGE on the segment, else
    the mechanism's GLOBAL);
    ``ions`` sets ion variables (``ek``, ``ena`` on the section; ``cai0_ca_ion``…, globals);
    ``record`` maps names to ``(mechanism or "", variable)`` to record. Returns (spike times ms,
    v mV, recorded traces) at every step of NEURON's matching fixed-step scheme."""
    from pathlib import Path

    from neuron import h, load_mechanisms

    folders = [directories] if isinstance(directories, (str, Path)) else list(directories)
    files = {p.name: p.read_text() for d in folders for p in sorted(Path(d).glob("*.mod"))}
    missing = {k: v for k, v in files.items() if k not in _LOADED_MECHANISMS}
    if missing:
        load_mechanisms(compile_mechanisms(missing), warn_if_already_loaded=False)
        _LOADED_MECHANISMS.update(missing)
    h.load_file("stdrun.hoc")
    sec = _section(h, area, cm)
    h.celsius = celsius
    for mech, params in mechanisms.items():
        sec.insert(mech)
        for name, value in params.items():
            target = getattr(sec(0.5), mech)
            if hasattr(target, name):
                setattr(target, name, value)
            else:
                setattr(h, f"{name}_{mech}", value)
    for name, value in (ions or {}).items():
        if hasattr(sec(0.5), name):
            setattr(sec(0.5), name, value)
        else:
            setattr(h, name, value)
    refs = {k: (getattr(getattr(sec(0.5), m), f"_ref_{var}") if m else
                getattr(sec(0.5), f"_ref_{var}")) for k, (m, var) in (record or {}).items()}
    clamps = _clamps(h, sec, stimulus, area)
    out = _run(h, sec, t_stop, dt, method, v_init, threshold, refs)
    del clamps, sec
    return out


def _copy_with_includes(src, work, root):
    """Copy ``root`` (default: the folder of ``src``, a NeuroML file) with the files ``src``
    includes into ``work/files``; returns the copy of ``src``'s folder."""
    import shutil
    from pathlib import Path

    top = Path(root) if root is not None else src.parent
    skip = Path(work).resolve()  # the work folder may lie inside the copied one

    def ignore(folder, names):
        return [n for n in names if (Path(folder) / n).resolve() == skip]

    shutil.copytree(top, Path(work) / "files", dirs_exist_ok=True, ignore=ignore)
    return Path(work) / "files" / src.parent.relative_to(top)


def run_neuroml_in_neuron(neuron, amplitude_nA: float, delay: float, duration: float,
                          t_stop: float, dt: float, workdir, temperature: float | None = None,
                          root=None,
                          tolerance: float | None = 1e-8) -> tuple[np.ndarray, np.ndarray]:
    """An independent path through NeuroML: export ``neuron`` with :mod:`ionzoo.interop.neuroml` (or
    take ``neuron`` as the path of a NeuroML file with one cell),
    wrap it in a network (with the neuron's temperature) and a LEMS simulation with a
    ``pulseGenerator`` (``amplitude_nA`` from ``delay`` for ``duration`` ms), let jNeuroML
    (``jnml -neuron``, shipped with pyNeuroML; needs Java) translate *that* to NMODL and a
    NEURON script, compile with ``nrnivmodl`` and run it in a fresh interpreter. Returns
    (t in ms, V in mV) at the solver's steps.

    ``tolerance`` (default 1e-8): run under NEURON's CVODE with this absolute and relative
    tolerance — needed for a tight comparison, because jNeuroML writes gate equations as
    ``x' = rate_x`` with the rate computed in a procedure, which ``cnexp`` then integrates with
    an explicit Euler step (first order, unlike ionzoo's and NEURON's own exponential update);
    ``None``: the fixed step ``dt`` as generated.

    None of ionzoo's NMODL export is involved: this checks the NeuroML export (channels,
    Nernst reversal, calcium concentration model) against jNeuroML's reading of NeuroML.
    """
    import os
    import subprocess
    import sys
    from pathlib import Path

    import neuroml
    from neuroml.writers import NeuroMLWriter
    from pyneuroml import pynml
    from pyneuroml.lems import LEMSSimulation

    from . import neuroml as nml_io

    work = Path(workdir)
    work.mkdir(parents=True, exist_ok=True)
    cell_file = "cell.nml"
    if isinstance(neuron, (str, Path)):  # a NeuroML file of somebody else's: run it as it is
        work = _copy_with_includes(Path(neuron), work, root)
        cell_file = Path(neuron).name
        neuron = nml_io.read(neuron, temperature=temperature)
    else:
        nml_io.write(neuron, work / cell_file)
    name = neuron.name
    doc = neuroml.NeuroMLDocument(id="network")
    doc.includes.append(neuroml.IncludeType(href=cell_file))
    doc.pulse_generators.append(neuroml.PulseGenerator(
        id="stim", delay=f"{delay!r} ms", duration=f"{duration!r} ms",
        amplitude=f"{amplitude_nA!r} nA"))
    net = neuroml.Network(id="net", type="networkWithTemperature",
                          temperature=f"{neuron.temperature!r} degC")
    net.populations.append(neuroml.Population(
        id="pop", component=name, size=1, type="populationList",
        instances=[neuroml.Instance(id=0, location=neuroml.Location(x=0, y=0, z=0))]))
    net.input_lists.append(neuroml.InputList(
        id="inputs", component="stim", populations="pop",
        input=[neuroml.Input(id=0, target=f"../pop/0/{name}", destination="synapses")]))
    doc.networks.append(net)
    NeuroMLWriter.write(doc, str(work / "network.nml"))
    sim = LEMSSimulation("iz_check", t_stop, dt, target="net")
    sim.include_neuroml2_file("network.nml", include_included=False, relative_to_dir=str(work))
    sim.include_neuroml2_file(cell_file, include_included=False, relative_to_dir=str(work))
    sim.create_output_file("out", "v.dat")
    sim.add_column_to_output_file("out", "v", f"pop/0/{name}/v")
    sim.save_to_file(str(work / "LEMS_iz_check.xml"))
    ok = pynml.run_lems_with_jneuroml_neuron(
        "LEMS_iz_check.xml", nogui=True, only_generate_scripts=True, compile_mods=False,
        exec_in_dir=str(work), exit_on_fail=False, verbose=False)
    if not ok:
        raise RuntimeError(f"jnml -neuron failed in {work}")
    if tolerance is not None:
        script = work / "LEMS_iz_check_nrn.py"
        text = script.read_text()
        if "abs_tol=None, rel_tol=None)" not in text:
            raise RuntimeError("unexpected jNeuroML NEURON script: cannot set CVODE tolerances")
        script.write_text(text.replace("abs_tol=None, rel_tol=None)",
                                       f"abs_tol={tolerance!r}, rel_tol={tolerance!r})"))
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}"
                                 f"{os.environ.get('PATH', '')}"}
    for cmd in (["nrnivmodl", "."], [sys.executable, "LEMS_iz_check_nrn.py", "-nogui"]):
        proc = subprocess.run(cmd, cwd=work, capture_output=True, text=True, env=env)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed in {work}:\n{proc.stdout[-2000:]}\n"
                               f"{proc.stderr[-2000:]}")
    data = np.loadtxt(work / "v.dat")
    keep = np.concatenate([[True], np.diff(data[:, 0]) > 0])  # CVODE repeats event times
    return data[keep, 0] * 1000.0, data[keep, 1] * 1000.0  # s → ms, V → mV
