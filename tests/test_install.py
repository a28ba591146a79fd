"""regcore installs as a package, and the README's library snippet runs from any folder.

The package is installed with pip, as a user would (an isolated build from
``[build-system]``), into a fresh virtual environment that sees the system's packages
(numpy, pandas, … are not downloaded again), from a copy of the sources so that the build
leaves nothing in the tree.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _readme_snippet() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    library = text[text.index("## Use as a library") :]
    return re.search(r"```python\n(.*?)```", library, re.S).group(1)


@pytest.mark.slow
def test_pip_install_then_readme_snippet_from_another_folder(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(
        ROOT / "regcore", source / "regcore", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    python = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    install = subprocess.run(
        [python, "-m", "pip", "install", "--no-deps", "."],
        cwd=source,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = subprocess.run(
        [python, "-c", _readme_snippet()],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    version = subprocess.run(
        [python, "-c", "import regcore; print(regcore.__version__, regcore.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert version[0] == _source_version()
    assert str(venv) in version[1]  # the installed copy, not the working tree
    assert (elsewhere / "model.json").exists()  # the snippet saved its model here


def _source_version() -> str:
    init = (ROOT / "regcore" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'^__version__ = "([^"]+)"', init, re.M).group(1)
