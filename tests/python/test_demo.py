"""The Python example runs to completion."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import patron

from helpers import SOURCE_DIR

DEMO = SOURCE_DIR / "examples" / "python" / "demo.py"


def run_demo(*args: str, cwd) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONIOENCODING"] = "utf-8"
    # The demo imports the same patron package as these tests, wherever it is.
    package_root = str(pathlib.Path(patron.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in [package_root, env.get("PYTHONPATH", "")] if p)
    return subprocess.run([sys.executable, str(DEMO), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


def test_demo_exists():
    assert DEMO.is_file(), DEMO


def test_demo_runs_on_a_given_file(tmp_path):
    db = tmp_path / "demo.db"
    result = run_demo(str(db), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert db.exists()
    out = result.stdout
    assert "AlreadyExistsError" in out
    assert "banned" in out
    assert "earned 25 stars (entry 1, retry entry 1), redeemed 5, 20 left" in out
    profile = out[out.index("{"):out.rindex("}") + 1]
    assert json.loads(profile)["status"] == "banned"


def test_demo_runs_on_a_temporary_file(tmp_path):
    result = run_demo(cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.iterdir()) == []
