"""Every fenced code block of README.md runs.

The convention (also stated in the README, under "Code blocks in this
README"), by the block's info string:

``python``
    A complete script, run by the Python the bindings were built for, with
    the build's package on PYTHONPATH, in a fresh temporary directory (so
    "crm.db" is a new file). It must exit 0.
``cpp``
    C++20 compiled with -Wall -Wextra -Werror against this build's
    ``patron::patron`` (found as a CMake package) and run in a fresh
    temporary directory; it must exit 0. A block with an ``int main`` is a
    whole program; any other block is a fragment, the body of ``main()``
    after a prelude that includes <patron/patron.hpp>, <cstdint>, <cstdio>,
    <cstdlib>, <iostream>, <optional>, <string> and <vector>.
``c``
    The same in C99 against ``patron::c`` (capi/include/patron.h,
    libpatron_c.so); a fragment's prelude includes <patron.h>, <stdio.h>,
    <stdlib.h> and <string.h>.
``sh``
    Shell commands, one per line (``\\`` continues a line; ``&&`` and ``;``
    separate commands; ``#`` starts a comment). Each command must match one
    of the rules in SH_RULES below, which checks it without rebuilding or
    reconfiguring the tree the tests run from: ``scripts/demo`` runs the
    demo program the script builds and runs; ``scripts/test`` is what CI
    runs (the command that runs this test) and is only checked to exist and
    run ctest; ``scripts/install-deps`` checks its packages are installed;
    ``scripts/configure -DNAME=...`` checks NAME is a cache variable of the
    build; ``scripts/sanitize [STEP]`` (its own clang tree, a CI job of its
    own) is checked to parse and to have the steps named;
    ``cmake --build build --target T`` checks T is a target of the
    build; ``ctest -R ...`` checks the selection names at least one test;
    ``cd DIR`` changes the directory of the commands after it; any other
    program under ``build/`` is run as written (in a temporary directory),
    except that benchmarks run with tiny counts (PATRON_BENCH_* variables)
    and ``--benchmark_min_time=0.01``. ``build/`` means this build tree.
    A command no rule knows fails the test: add a rule for it.
``text``
    Not code (layout trees, sample output): not run.

A block with another info string, or none, fails the test, so no block is
skipped silently. Run with ``ctest -R readme --output-on-failure`` after a
full build (the benchmarks and examples the README names must be built).
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from typing import Callable

import pytest

SOURCE = pathlib.Path(os.environ.get("PATRON_SOURCE_DIR") or pathlib.Path(__file__).resolve().parents[2])
BUILD = pathlib.Path(os.environ.get("PATRON_BUILD_DIR") or SOURCE / "build")
README = SOURCE / "README.md"
PYTHON = os.environ.get("PATRON_PYTHON") or sys.executable
CMAKE = os.environ.get("PATRON_CMAKE") or "cmake"
CTEST = os.environ.get("PATRON_CTEST") or "ctest"
PACKAGE = os.environ.get("PATRON_README_PACKAGE") or str(BUILD / "tests" / "readme" / "package")
SANITIZE = [s for s in os.environ.get("PATRON_SANITIZE", "").split(",") if s]
RUN_TIMEOUT = 600
_BUILD = pathlib.Path(os.path.normpath(BUILD))

#: Benchmarks run with these counts (whatever the README says), so that
#: each finishes in seconds; the figures are not looked at.
TINY_BENCH = {
    "PATRON_BENCH_CUSTOMERS": "300", "PATRON_BENCH_BATCH": "100", "PATRON_BENCH_ORDERS": "3000",
    "PATRON_BENCH_CLV_CUSTOMERS": "2000", "PATRON_BENCH_CLV_BASELINE": "0", "PATRON_BENCH_COMPANY_CUSTOMERS": "500",
    "PATRON_BENCH_CREDENTIAL_CUSTOMERS": "500", "PATRON_BENCH_ACTIVITY_EVENTS": "6000",
    "PATRON_BENCH_LOYALTY_ENTRIES": "2000", "PATRON_BENCH_IMPORT_CUSTOMERS": "500",
    "PATRON_BENCH_IMPORT_DUPLICATE_CUSTOMERS": "200", "PATRON_BENCH_EXPORT_CUSTOMERS": "500",
}


# --- the blocks ---------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Block:
    line: int  # of the opening fence, from 1
    info: str  # the whole info string
    code: str

    @property
    def lang(self) -> str:
        return self.info.split()[0] if self.info else ""

    @property
    def where(self) -> str:
        return f"README.md:{self.line}"


_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


def parse(text: str) -> list[Block]:
    """The fenced code blocks of a CommonMark text (indented fences too:
    their indentation is removed from the block's lines)."""
    lines = text.split("\n")
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m or (m["fence"][0] == "`" and "`" in m["info"]):
            i += 1
            continue
        indent, fence = len(m["indent"]), m["fence"]
        closing = re.compile(rf"^ *{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not closing.match(lines[j]):
            line = lines[j]
            body.append(line[min(indent, len(line) - len(line.lstrip(" "))):])
            j += 1
        if j == len(lines):
            raise ValueError(f"README.md:{i + 1}: the code block opened here is never closed")
        blocks.append(Block(i + 1, m["info"].strip(), "\n".join(body) + "\n"))
        i = j + 1
    return blocks


BLOCKS = parse(README.read_text(encoding="utf-8"))


def run(argv: list[str], *, cwd: pathlib.Path, env: dict[str, str] | None = None,
        timeout: int = RUN_TIMEOUT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in argv], cwd=cwd, env=env, text=True, capture_output=True,
                          timeout=timeout, check=False)


def require_ok(result: subprocess.CompletedProcess[str], what: str) -> None:
    if result.returncode != 0:
        pytest.fail(f"{what} exited with {result.returncode}\n--- stdout\n{result.stdout[-6000:]}\n"
                    f"--- stderr\n{result.stderr[-6000:]}", pytrace=False)


# --- python -------------------------------------------------------------------------


def run_python(block: Block, tmp: pathlib.Path) -> None:
    script = tmp / f"readme_{block.line}.py"
    script.write_text(block.code, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(BUILD / "python"))
    require_ok(run([PYTHON, script.name], cwd=tmp, env=env), f"the Python block at {block.where}")


# --- cpp and c ----------------------------------------------------------------------

_MAIN = re.compile(r"\bint\s+main\s*\(")
_PRELUDE = {
    "cpp": ["patron/patron.hpp", "cstdint", "cstdio", "cstdlib", "iostream", "optional", "string", "vector"],
    "c": ["patron.h", "stdio.h", "stdlib.h", "string.h"],
}


def program(block: Block) -> str:
    """The block as a translation unit; #line keeps compiler messages on the
    README's lines."""
    here = f'#line {block.line + 1} "README.md"\n'
    if _MAIN.search(block.code):
        return f"// {block.where}: a whole program\n{here}{block.code}"
    head = "".join(f"#include <{h}>\n" for h in _PRELUDE[block.lang])
    signature = "int main()" if block.lang == "cpp" else "int main(void)"
    return (f"// {block.where}: a fragment, the body of main()\n{head}\n{signature} {{\n{here}{block.code}"
            f"  return 0;\n}}\n")


def _write_if_changed(path: pathlib.Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


@dataclasses.dataclass
class Compiled:
    binary_dir: pathlib.Path
    log: str
    ok: bool


@pytest.fixture(scope="session")
def compiled() -> Compiled:
    """Every cpp and c block, built once in one CMake project against this
    build tree (under the test's working directory, so that reruns are
    incremental)."""
    blocks = [b for b in BLOCKS if b.lang in ("cpp", "c")]
    root = pathlib.Path.cwd() / "blocks" if os.environ.get("PATRON_BUILD_DIR") else pathlib.Path(
        tempfile.mkdtemp(prefix="patron-readme-"))
    src = root / "src"
    src.mkdir(parents=True, exist_ok=True)
    cmake = ["cmake_minimum_required(VERSION 3.22)", "project(readme_blocks LANGUAGES C CXX)",
             "set(CMAKE_CXX_STANDARD 20)", "set(CMAKE_CXX_STANDARD_REQUIRED ON)", "set(CMAKE_CXX_EXTENSIONS OFF)",
             "set(CMAKE_C_STANDARD 99)", "set(CMAKE_C_STANDARD_REQUIRED ON)", "set(CMAKE_C_EXTENSIONS OFF)",
             "find_package(patron REQUIRED)", "add_compile_options(-Wall -Wextra -Werror)"]
    if SANITIZE:
        flags = f"-fsanitize={','.join(SANITIZE)}"
        cmake += [f"add_compile_options({flags} -fno-omit-frame-pointer)", f"add_link_options({flags})"]
    for b in blocks:
        name = f"block_{b.line}"
        _write_if_changed(src / f"{name}.{b.lang}", program(b))
        cmake.append(f"add_executable({name} {name}.{b.lang})")
        cmake.append(f"target_link_libraries({name} PRIVATE patron::{'patron' if b.lang == 'cpp' else 'c'})")
    _write_if_changed(src / "CMakeLists.txt", "\n".join(cmake) + "\n")
    binary = root / "bin"
    for stale in binary.glob("block_*"):  # a block that no longer compiles must not leave its old program
        if stale.is_file():
            stale.unlink()
    configure = [CMAKE, "-S", src, "-B", binary, f"-Dpatron_DIR={PACKAGE}", "-DCMAKE_BUILD_TYPE=RelWithDebInfo"]
    if os.environ.get("PATRON_GENERATOR"):
        configure.append(f"-G{os.environ['PATRON_GENERATOR']}")
    for var, name in (("PATRON_CC", "CMAKE_C_COMPILER"), ("PATRON_CXX", "CMAKE_CXX_COMPILER")):
        if os.environ.get(var):
            configure.append(f"-D{name}={os.environ[var]}")
    if shutil.which("ccache"):
        configure += ["-DCMAKE_C_COMPILER_LAUNCHER=ccache", "-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"]
    if (binary / "CMakeCache.txt").exists() and not os.environ.get("PATRON_GENERATOR"):
        configure = [a for a in configure if not str(a).startswith("-G")]
    result = run(configure, cwd=root)
    log = result.stdout + result.stderr
    if result.returncode == 0:
        keep_going = ["--", "-k", "0"] if "Ninja" in os.environ.get("PATRON_GENERATOR", "Ninja") else ["--", "-k"]
        result = run([CMAKE, "--build", binary, "-j", "2", *keep_going], cwd=root)
        log += result.stdout + result.stderr
    return Compiled(binary, log, result.returncode == 0)


def run_compiled(block: Block, tmp: pathlib.Path, compiled: Compiled) -> None:
    exe = compiled.binary_dir / f"block_{block.line}"
    if not exe.exists():
        pytest.fail(f"the {block.lang} block at {block.where} does not compile (the prelude and conventions are in "
                    f"tests/readme/test_readme.py)\n{compiled.log[-8000:]}", pytrace=False)
    require_ok(run([exe], cwd=tmp), f"the {block.lang} block at {block.where}")


# --- sh -----------------------------------------------------------------------------


@dataclasses.dataclass
class Command:
    env: dict[str, str]
    argv: list[str]
    text: str


def commands(code: str) -> list[Command]:
    out: list[Command] = []
    for line in code.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|<>")
        lexer.whitespace_split = True
        lexer.commenters = "#"
        words: list[str] = []
        for token in [*lexer, ";"]:
            if token in (";", "&&"):
                if words:
                    env = {}
                    while words and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", words[0]):
                        key, _, value = words.pop(0).partition("=")
                        env[key] = value
                    out.append(Command(env, words, shlex.join([f"{k}={v}" for k, v in env.items()] + words)))
                words = []
            elif token and set(token) <= set(";&|<>"):
                raise ValueError(f"'{token}' in `{line.strip()}`: pipes, redirections and || are not supported")
            else:
                words.append(token)
    return out


class Shell:
    """Checks the commands of one sh block, in order."""

    def __init__(self, block: Block, tmp: pathlib.Path) -> None:
        self.block = block
        self.tmp = tmp
        self.cwd = SOURCE  # where the README's commands start: the repository

    def path(self, word: str) -> pathlib.Path:
        """A path as the README means it: build/... is this build tree."""
        full = pathlib.Path(os.path.normpath(self.cwd / word))
        readme_build = pathlib.Path(os.path.normpath(SOURCE / "build"))
        if full == readme_build or readme_build in full.parents:
            return _BUILD / full.relative_to(readme_build)
        return full

    def fail(self, cmd: Command, why: str) -> None:
        pytest.fail(f"{self.block.where}: `{cmd.text}`: {why}", pytrace=False)

    def check(self, cmd: Command) -> None:
        for rule in SH_RULES:
            if rule.matches(self, cmd):
                rule.check(self, cmd)
                return
        self.fail(cmd, "no rule in tests/readme/test_readme.py (SH_RULES) knows how to check this command; "
                       "add one")


@dataclasses.dataclass(frozen=True)
class Rule:
    doc: str
    matches: Callable[[Shell, Command], bool]
    check: Callable[[Shell, Command], None]


def _script(sh: Shell, cmd: Command) -> str | None:
    p = sh.path(cmd.argv[0])
    return p.name if p.parent == pathlib.Path(os.path.normpath(SOURCE / "scripts")) else None


def check_cd(sh: Shell, cmd: Command) -> None:
    if len(cmd.argv) != 2 or not sh.path(cmd.argv[1]).is_dir():
        sh.fail(cmd, "not a directory")
    sh.cwd = pathlib.Path(os.path.normpath(sh.cwd / cmd.argv[1]))  # as the README names it: build/ stays build/


def check_demo(sh: Shell, cmd: Command) -> None:
    script = (SOURCE / "scripts" / "demo").read_text()
    if "build/examples/patron_demo" not in script or "--target patron_demo" not in script:
        sh.fail(cmd, "scripts/demo no longer builds and runs build/examples/patron_demo: update this rule")
    demo = BUILD / "examples" / "patron_demo"
    if not demo.exists():
        sh.fail(cmd, f"{demo} is not built (build the patron_demo target)")
    db = cmd.argv[1] if len(cmd.argv) > 1 else "patron-demo.db"
    require_ok(run([demo, db], cwd=sh.tmp), f"{sh.block.where}: `{cmd.text}` (build/examples/patron_demo {db})")


def check_test(sh: Shell, cmd: Command) -> None:
    script = SOURCE / "scripts" / "test"
    if len(cmd.argv) != 1 or not os.access(script, os.X_OK) or "ctest" not in script.read_text():
        sh.fail(cmd, "scripts/test should be an executable script that runs ctest")
    ci = SOURCE / ".ci" / "run"
    if not ci.exists() or "scripts/test" not in ci.read_text():
        sh.fail(cmd, "the README says .ci/run runs scripts/test: it does not")
    # Not run here: it is the command that runs this test.


def check_install_deps(sh: Shell, cmd: Command) -> None:
    text = (SOURCE / "scripts" / "install-deps").read_text()
    m = re.search(r"packages=\((.*?)\)", text, re.S)
    if not m:
        sh.fail(cmd, "no packages=(...) list in scripts/install-deps: update this rule")
    missing = []
    for package in m[1].split():
        status = run(["dpkg-query", "-W", "-f=${Status}", package], cwd=sh.tmp)
        if "install ok installed" not in status.stdout:
            missing.append(package)
    if missing:
        sh.fail(cmd, f"packages scripts/install-deps installs are missing: {missing}")


def check_sanitize(sh: Shell, cmd: Command) -> None:
    """scripts/sanitize builds its own clang tree with sanitizers and fuzzes:
    too long to run here (it is a CI job of its own). Checked: it is an
    executable bash script that parses, and each step named is one it runs."""
    script = SOURCE / "scripts" / "sanitize"
    if not os.access(script, os.X_OK):
        sh.fail(cmd, "scripts/sanitize is not an executable script")
    require_ok(run(["bash", "-n", script], cwd=SOURCE), "bash -n scripts/sanitize")
    text = script.read_text()
    for step in cmd.argv[1:]:
        if not re.search(rf"^\s*{re.escape(step)}\)", text, re.M):
            sh.fail(cmd, f"scripts/sanitize has no step '{step}'")


def check_configure(sh: Shell, cmd: Command) -> None:
    cache = (BUILD / "CMakeCache.txt").read_text()
    for arg in cmd.argv[1:]:
        m = re.fullmatch(r"-D([A-Za-z_][A-Za-z0-9_]*)(:[A-Z]+)?=.*", arg)
        if not m:
            sh.fail(cmd, f"'{arg}': the rule for scripts/configure knows only -DNAME=VALUE")
        if not re.search(rf"^{re.escape(m[1])}(:|$)", cache, re.M):
            sh.fail(cmd, f"{m[1]} is not a cache variable of the build (a typo, or an option that is gone)")


def _targets() -> set[str]:
    result = run([CMAKE, "--build", BUILD, "--target", "help"], cwd=BUILD)
    require_ok(result, "cmake --build <build> --target help")
    return {m[1] for m in re.finditer(r"^(?:\.\.\. )?([A-Za-z0-9_.+-]+)(?::| \(|$)", result.stdout, re.M)}


def check_cmake_build(sh: Shell, cmd: Command) -> None:
    args = cmd.argv[1:]
    if len(args) < 2 or sh.path(args[1]) != _BUILD:
        sh.fail(cmd, "the rule for cmake --build knows only the build tree `build`")
    targets: list[str] = []
    i = 2
    while i < len(args):
        a = args[i]
        if a in ("--target", "-t"):
            i += 1
            while i < len(args) and not args[i].startswith("-"):
                targets.append(args[i])
                i += 1
            continue
        if a in ("-j", "--parallel"):
            i += 2 if i + 1 < len(args) and args[i + 1].isdigit() else 1
            continue
        if re.fullmatch(r"-j\d+|--parallel=\d+|--verbose|-v", a):
            i += 1
            continue
        sh.fail(cmd, f"'{a}': the rule for cmake --build knows only --target, -j and --parallel")
    known = _targets()
    for t in targets:
        if t not in known:
            sh.fail(cmd, f"{t} is not a target of the build")


def check_ctest(sh: Shell, cmd: Command) -> None:
    result = run([CTEST, "-N", *cmd.argv[1:]], cwd=BUILD)
    require_ok(result, f"{sh.block.where}: `{cmd.text}` (ctest -N)")
    m = re.search(r"Total Tests: (\d+)", result.stdout)
    if not m or int(m[1]) == 0:
        sh.fail(cmd, f"selects no test of the build\n{result.stdout}")


def _built_program(sh: Shell, cmd: Command) -> bool:
    return "/" in cmd.argv[0] and _BUILD in sh.path(cmd.argv[0]).parents


def check_program(sh: Shell, cmd: Command) -> None:
    exe = sh.path(cmd.argv[0])
    if not exe.is_file() or not os.access(exe, os.X_OK):
        sh.fail(cmd, f"{exe} is not built (build it first: ctest does not build)")
    args = [str(sh.path(a)) if not a.startswith("-") and sh.path(a).exists() else a for a in cmd.argv[1:]]
    env = dict(os.environ, **cmd.env)
    if exe.parent.name == "benchmarks":
        env.update(TINY_BENCH)
        if not any(a.startswith("--benchmark_min_time") for a in args):
            args.append("--benchmark_min_time=0.01")
    require_ok(run([exe, *args], cwd=sh.tmp, env=env), f"{sh.block.where}: `{cmd.text}`")


SH_RULES = [
    Rule("cd DIR", lambda sh, c: c.argv[0] == "cd", check_cd),
    Rule("scripts/demo [DB]: runs the demo program", lambda sh, c: _script(sh, c) == "demo", check_demo),
    Rule("scripts/test: what CI runs", lambda sh, c: _script(sh, c) == "test", check_test),
    Rule("scripts/install-deps: its packages are installed", lambda sh, c: _script(sh, c) == "install-deps",
         check_install_deps),
    Rule("scripts/configure -DNAME=VALUE...: known cache variables", lambda sh, c: _script(sh, c) == "configure",
         check_configure),
    Rule("scripts/sanitize [STEP...]: parses, knows its steps", lambda sh, c: _script(sh, c) == "sanitize",
         check_sanitize),
    Rule("cmake --build build [--target T...]: known targets",
         lambda sh, c: c.argv[:2] == ["cmake", "--build"], check_cmake_build),
    Rule("ctest ARGS: selects at least one test", lambda sh, c: c.argv[0] == "ctest", check_ctest),
    Rule("build/PROGRAM ARGS: runs (benchmarks with tiny counts)", _built_program, check_program),
]


def run_sh(block: Block, tmp: pathlib.Path) -> None:
    sh = Shell(block, tmp)
    cmds = commands(block.code)
    if not cmds:
        pytest.fail(f"{block.where}: an sh block without a command", pytrace=False)
    for cmd in cmds:
        sh.check(cmd)


# --- the tests ----------------------------------------------------------------------


def test_the_readme_has_runnable_blocks():
    kinds = {b.lang for b in BLOCKS}
    assert {"python", "cpp", "c", "sh"} <= kinds, kinds


def test_the_parser_sees_every_fence():
    text = "a\n```python\nx = 1\n```\n  ~~~~ text more\n  tree\n  ~~~~\n```\n````c\nint x;\n```\nb `` ```x``` ``\n"
    blocks = parse(text)
    assert [(b.line, b.lang, b.code) for b in blocks] == [
        (2, "python", "x = 1\n"), (5, "text", "tree\n"), (8, "", "````c\nint x;\n")]
    with pytest.raises(ValueError, match="never closed"):
        parse("```sh\nls\n")


def test_sh_commands_are_split_as_a_shell_would():
    cmds = commands('A=1 build/x --y "a;b" && cd build  # note\nctest -R "x|y" \\\n  --output-on-failure\n')
    assert [(c.env, c.argv) for c in cmds] == [({"A": "1"}, ["build/x", "--y", "a;b"]), ({}, ["cd", "build"]),
                                              ({}, ["ctest", "-R", "x|y", "--output-on-failure"])]
    with pytest.raises(ValueError, match="not supported"):
        commands("ls | wc -l\n")


@pytest.mark.parametrize("block", BLOCKS, ids=[f"{b.where}:{b.lang or 'no-info-string'}" for b in BLOCKS])
def test_block_runs(block: Block, tmp_path: pathlib.Path, request: pytest.FixtureRequest) -> None:
    if block.lang == "text":
        return  # not code
    if block.lang == "python":
        run_python(block, tmp_path)
    elif block.lang in ("cpp", "c"):
        run_compiled(block, tmp_path, request.getfixturevalue("compiled"))
    elif block.lang == "sh":
        run_sh(block, tmp_path)
    else:
        pytest.fail(f"{block.where}: a ```{block.info} block: the test runs python, cpp, c and sh blocks and "
                    "skips text ones; give the block one of those info strings (tests/readme/test_readme.py)",
                    pytrace=False)
