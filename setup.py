"""Builds patron's Python package: CMake builds the _patron module (and the
library it links statically) against the system's libraries, setuptools
packages it with bindings/python/patron. Metadata is in pyproject.toml.

CMake works in <build_temp>/cmake (setuptools' build directory, under
`build-python/` here, never the CMake tree `build/`): a second `pip install .`
or `python3 -m build` after the first rebuilds nothing. PATRON_CMAKE_ARGS
adds CMake options (e.g. "-DCMAKE_BUILD_TYPE=Debug"); CMAKE_BUILD_PARALLEL_LEVEL
sets the jobs (default: the machine's cores)."""

from __future__ import annotations

import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

SOURCE = pathlib.Path(__file__).resolve().parent


def version() -> str:
    text = (SOURCE / "CMakeLists.txt").read_text(encoding="utf-8")
    found = re.search(r"project\(patron VERSION (\d+\.\d+\.\d+)", text)
    if not found:
        raise RuntimeError("no project(patron VERSION x.y.z) in CMakeLists.txt")
    return found.group(1)


class CMakeBuild(build_ext):
    def build_extension(self, ext: Extension) -> None:
        target = pathlib.Path(self.get_ext_fullpath(ext.name)).resolve()
        tree = pathlib.Path(self.build_temp).resolve() / "cmake"
        generator = ["-G", "Ninja"] if shutil.which("ninja") else []
        launcher = ["-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"] if shutil.which("ccache") else []
        configure = [
            "cmake", "-S", str(SOURCE), "-B", str(tree), *generator, *launcher,
            "-DCMAKE_BUILD_TYPE=Release",
            f"-DPython_EXECUTABLE={sys.executable}",
            "-DPATRON_BUILD_TESTS=OFF", "-DPATRON_BUILD_EXAMPLES=OFF", "-DPATRON_BUILD_BENCHMARKS=OFF",
            "-DPATRON_BUILD_FUZZERS=OFF", "-DPATRON_BUILD_PYTHON=ON",
            *shlex.split(os.environ.get("PATRON_CMAKE_ARGS", "")),
        ]
        subprocess.run(configure, check=True)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL") or str(os.cpu_count() or 2)
        subprocess.run(["cmake", "--build", str(tree), "--target", "_patron", "-j", jobs], check=True)
        built = sorted((tree / "python" / "patron").glob("_patron*.so"))
        if len(built) != 1:
            raise RuntimeError(f"expected one _patron module in {tree / 'python' / 'patron'}, found {built}")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[0], target)


setup(
    version=version(),
    ext_modules=[Extension("patron._patron", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
)
