#!/usr/bin/env bash
# check_package.sh SOURCE WORK PYTHON: builds patron's wheel with
# `python3 -m build`, installs it into a fresh venv, then installs the source
# tree with `pip install .` into another, and in each imports patron and uses
# it. No network: setuptools, wheel and build are Debian's (no isolation),
# pip is told not to look at an index.
set -euo pipefail
source_dir=$1 work=$2 python=$3
rm -rf "$work"
mkdir -p "$work/src"
# The sources as a clone holds them (no build trees, no .git).
tar -C "$source_dir" --exclude='./build*' --exclude=./.git --exclude=./dist -cf - . | tar -C "$work/src" -xf -
cd "$work/src"
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2}

smoke() {  # smoke PYTHON: the installed package works, from outside the source tree
  (cd "$work" && "$1" - <<'PY'
import pathlib, tempfile
import patron
assert pathlib.Path(patron.__file__).parent.name == "patron"
assert "site-packages" in patron.__file__, patron.__file__
with tempfile.TemporaryDirectory() as d:
    with patron.open(pathlib.Path(d) / "crm.db", default_region="GB") as db:
        ana = db.customers.create(first_name="Ana", last_name="Silva", email="ana@example.com", phone="07400 123456")
        assert db.identify("+44 7400 123456")[0].customer.id == ana.id
        assert db.exports.customers(pathlib.Path(d) / "out.jsonl").customers == 1
print("patron", patron.__version__, "works from", patron.__file__)
PY
  )
}

echo "== python3 -m build --no-isolation --wheel"
"$python" -m build --no-isolation --wheel --outdir "$work/dist" .
wheel=$(ls "$work"/dist/patron-*.whl)
echo "built $wheel"
"$python" -m venv --system-site-packages "$work/venv-wheel"
"$work/venv-wheel/bin/pip" install --no-index --no-deps "$wheel"
smoke "$work/venv-wheel/bin/python"

echo "== pip install ."
"$python" -m venv --system-site-packages "$work/venv-source"
"$work/venv-source/bin/pip" install --no-build-isolation --no-index --no-deps .
smoke "$work/venv-source/bin/python"
rm -rf "$work"
