"""Build the course as a static JupyterLite site: Python in the browser, nothing to install.

    python tools/lite/build.py                 # -> build/lite/ (about a minute; offline once cached)
    python tools/lite/build.py --out DIR
    python -m http.server -d build/lite -b 127.0.0.1 8000   # then open http://127.0.0.1:8000/lab/

Everything comes from PyPI and npm, and everything is served from the site
itself (no CDN): the result can be published as static files, e.g. on a
project's pages site. What goes in:

* JupyterLite with JupyterLab and Notebook 7 (jupyterlite-core) and the
  Pyodide kernel (jupyterlite-pyodide-kernel), installed into a build venv
  in .cache/lite/ (git-ignored, like everything this script caches);
* the Pyodide runtime, CPython 3.14 on WebAssembly (npm `pyodide`, see
  pyodide_runtime.py), in static/pyodide/;
* the wheels the kernel loads at start-up (IPython, jedi, micropip and their
  dependencies), chosen from Pyodide's lock by `kernel_packages()` and
  downloaded from PyPI (Pyodide's CDN builds are not in the npm package);
* ipywidgets, comm and tinyloop's own wheel, added to the lock and preloaded,
  so the notebooks open with nothing to %pip;
* the course notebooks (notebooks/, as tools/build_notebooks.py wrote them),
  made ready for the browser by notebooks.py (the cells that need sockets or
  threads say so instead of failing).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pyodide_runtime import REPO, pyodide_dir  # noqa: E402

import notebooks  # noqa: E402

CACHE = REPO / ".cache" / "lite"
BUILD_VENV = CACHE / "venv"
MAX_SITE_BYTES = 50 * 1024 * 1024  # the bound
# The JupyterLite pieces this build was checked with (pyodide-kernel 0.8.6 expects
# Pyodide 314.0.6; 314.0.8, a patch release of the same CPython, works).
BUILD_REQUIREMENTS = [
    "jupyterlite-core==0.8.6",
    "jupyterlite-pyodide-kernel==0.8.6",
    "jupyter_server>=2.10",  # the build refuses a contents folder without it
    "jupyterlab_widgets==3.0.17",  # its labextension: the widget manager in the page
    "setuptools>=68",  # builds tinyloop's wheel without fetching anything
]
# What the kernel imports at start-up; their dependencies come from the lock.
KERNEL_ROOTS = ["micropip", "ipython", "jedi"]
# Not in Pyodide's lock: preloaded from PyPI wheels (versions matching jupyterlab_widgets above).
EXTRA_WHEELS = ["comm==0.2.3", "ipywidgets==8.1.9", "jupyterlab_widgets==3.0.17", "widgetsnbextension==4.0.16"]


def log(message: str) -> None:
    print(f"[lite] {message}", flush=True)


def run(*cmd: str | Path, **kwargs) -> None:
    subprocess.run([str(c) for c in cmd], check=True, **kwargs)


def build_venv() -> Path:
    """The venv with jupyter-lite in it (made once, then reused)."""
    python = BUILD_VENV / "bin" / "python"
    stamp = BUILD_VENV / "requirements.txt"
    wanted = "\n".join(BUILD_REQUIREMENTS)
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    log(f"making the build venv in {BUILD_VENV.relative_to(REPO)}")
    run(sys.executable, "-m", "venv", "--clear", BUILD_VENV)
    run(python, "-m", "pip", "install", "-q", *BUILD_REQUIREMENTS)
    stamp.write_text(wanted)
    return python


def kernel_packages(lock: dict, roots: list[str]) -> list[str]:
    """The lock's package names the roots need, dependencies included, in a stable order."""
    packages = lock["packages"]
    needed: dict[str, None] = {}
    todo = list(roots)
    while todo:
        name = todo.pop(0).lower().replace("_", "-")  # the lock's keys are normalized names
        if name in needed:
            continue
        if name not in packages:
            raise SystemExit(f"{name!r} is not in Pyodide's lock: the kernel cannot start without it")
        needed[name] = None
        todo += packages[name].get("depends", [])
    return sorted(needed)


def download_wheels(python: Path, specs: list[str], dest: Path) -> list[Path]:
    """Pure-Python wheels from PyPI for CPython 3.14 (what runs in the browser)."""
    before = set(dest.glob("*.whl"))
    run(python, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:", "--python-version", "3.14",
        "--platform", "any", "--implementation", "py", "-d", dest, *specs)  # fmt: skip
    return sorted(set(dest.glob("*.whl")) - before) or sorted(before)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _wheel_name(path: Path) -> str:
    return path.name.split("-")[0].lower().replace("_", "-")


def write_runtime(python: Path, static_pyodide: Path) -> list[str]:
    """The Pyodide runtime, the wheels, and a lock listing exactly what is shipped. Returns what to preload."""
    runtime = pyodide_dir()
    if static_pyodide.exists():
        shutil.rmtree(static_pyodide)
    static_pyodide.mkdir(parents=True)
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide.js",
                 "package.json"):  # fmt: skip
        shutil.copy2(runtime / name, static_pyodide / name)
    lock = json.loads((runtime / "pyodide-lock.json").read_text())
    names = kernel_packages(lock, KERNEL_ROOTS)
    wheel_cache = CACHE / "wheels"
    wheel_cache.mkdir(parents=True, exist_ok=True)
    specs = [f"{lock['packages'][n]['name']}=={lock['packages'][n]['version']}" for n in names]
    log(f"{len(specs)} kernel wheels from the lock, {len(EXTRA_WHEELS)} more, and tinyloop's")
    download_wheels(python, specs + EXTRA_WHEELS, wheel_cache)
    tinyloop = build_tinyloop_wheel(python)

    # The lock keeps only what is shipped, each with the hash of the wheel we ship
    # (why: Pyodide's CDN wheels are rebuilt copies whose hashes differ from PyPI's).
    shipped: dict[str, dict] = {}
    by_name = {_wheel_name(w): w for w in wheel_cache.glob("*.whl")}
    for name in names:
        entry = dict(lock["packages"][name])
        wheel = by_name[entry["name"].lower().replace("_", "-")]
        entry.update(file_name=wheel.name, sha256=_sha256(wheel), install_dir="site")
        shipped[name] = entry
    for spec in EXTRA_WHEELS:
        name, version = spec.split("==")
        name = name.lower().replace("_", "-")  # the lock's keys are normalized names, as the loader looks them up
        shipped[name] = _lock_entry(by_name[name], name, version)
    shipped["tinyloop"] = _lock_entry(tinyloop, "tinyloop", tinyloop.name.split("-")[1])
    for entry in shipped.values():
        source = wheel_cache / entry["file_name"] if entry["name"] != "tinyloop" else tinyloop
        shutil.copy2(source, static_pyodide / entry["file_name"])
    lock["packages"] = shipped
    (static_pyodide / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True))
    return [name for name in shipped if name not in names]


def _lock_entry(wheel: Path, name: str, version: str) -> dict:
    return {
        "name": name, "version": version, "file_name": wheel.name, "install_dir": "site", "sha256": _sha256(wheel),
        "package_type": "package", "imports": [], "depends": [], "unvendored_tests": False, "shared_library": False,
    }  # fmt: skip


def build_tinyloop_wheel(python: Path) -> Path:
    dest = CACHE / "tinyloop-wheel"
    if dest.exists():
        shutil.rmtree(dest)
    run(python, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", dest, REPO,
        stdout=subprocess.DEVNULL)  # fmt: skip
    (wheel,) = dest.glob("tinyloop-*.whl")
    return wheel


def write_contents(files: Path) -> list[str]:
    """The course notebooks (and the helper module they import), for the browser kernel."""
    if files.exists():
        shutil.rmtree(files)
    files.mkdir(parents=True)
    names = []
    for notebook in sorted((REPO / "notebooks").glob("*.ipynb")):
        desktop_only = notebooks.write(notebook, files / notebook.name)
        log(f"{notebook.name}: {desktop_only} cells need a desktop Python" if desktop_only else notebook.name)
        names.append(notebook.name)
    for helper in (REPO / "notebooks").glob("*.py"):
        shutil.copy2(helper, files / helper.name)
    return names


def write_config(lite_dir: Path, preload: list[str]) -> None:
    kernel = {
        "disablePyPIFallback": True,  # nothing from outside: every wheel is in the site
        # Preloaded from the lock next to pyodide.mjs (Pyodide's default lockFileURL).
        "loadPyodideOptions": {"packages": preload},
    }
    config = {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": "tinyloop",
            "disabledExtensions": ["@jupyterlab/apputils-extension:announcements"],
            "litePluginSettings": {"@jupyterlite/pyodide-kernel-extension:kernel": kernel},
        },
    }
    (lite_dir / "jupyter-lite.json").write_text(json.dumps(config, indent=1))
    # Every cell stays in the page (why: the course notebooks are short, and a learner's
    # Ctrl+F, like the browser test, then finds every cell's output).
    overrides = {"@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"}}
    (lite_dir / "overrides.json").write_text(json.dumps(overrides, indent=1))
    (lite_dir / "jupyter_lite_config.json").write_text(json.dumps({"LiteBuildConfig": {"no_sourcemaps": True}}))


def site_bytes(out: Path) -> int:
    return sum(p.stat().st_size for p in out.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "build" / "lite", help="where the site goes")
    args = parser.parse_args(argv)
    started = time.monotonic()
    python = build_venv()
    lite_dir = CACHE / "lite-dir"
    if lite_dir.exists():
        shutil.rmtree(lite_dir)  # (with its doit database: a stale one skips steps)
    lite_dir.mkdir(parents=True)
    preload = write_runtime(python, lite_dir / "static" / "pyodide")
    notebooks = write_contents(lite_dir / "files")
    write_config(lite_dir, preload)
    out = args.out.resolve()
    if out.exists():
        shutil.rmtree(out)
    log("jupyter lite build")
    run(python.parent / "jupyter-lite", "build", "--lite-dir", lite_dir, "--contents", lite_dir / "files",
        "--output-dir", out, cwd=lite_dir, stdout=subprocess.DEVNULL)  # fmt: skip
    size = site_bytes(out)
    log(f"{out} ({size / 1e6:.1f} MB, {len(notebooks)} notebooks) in {time.monotonic() - started:.0f} s")
    if size > MAX_SITE_BYTES:
        raise SystemExit(f"the site is {size / 1e6:.1f} MB, over the {MAX_SITE_BYTES / 1e6:.0f} MB bound")
    return 0


if __name__ == "__main__":
    sys.exit(main())
