"""The compiled hot path (mockapi/core/compiled.py, setup.py): it type-checks, and compiled it answers the same bytes.

mypyc trusts the annotations it compiles, so the hot path must type-check; and a compiled build is only the
same mock if every reply, header and journal entry comes out byte for byte as the source's.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # bench/, as tests/test_bench_run.py reads it

from bench.run import compile_in_copy  # noqa: E402
from mockapi.core import speedups  # noqa: E402
from mockapi.core.compiled import HOT_MODULES, is_compiled, module_names  # noqa: E402

DUMP = Path(__file__).with_name("compiled_dump.py")


def test_the_hot_path_type_checks(tmp_path: Path) -> None:
    mypy = pytest.importorskip("mypy.api")
    # The flags setup.py gives mypyc: only the compiled modules must be clean.
    stdout, stderr, status = mypy.run(["--ignore-missing-imports", "--follow-imports=silent", "--cache-dir", str(tmp_path),
                                       *(str(ROOT / path) for path in HOT_MODULES)])
    assert status == 0, stdout + stderr


def _any_into_a_narrower_local(paths: list[Path]) -> list[str]:
    """Assignments of an ``Any`` value to a local that mypy typed by an earlier, narrower value (see the test below)."""
    from mypy import build
    from mypy import nodes as n
    from mypy.modulefinder import BuildSource
    from mypy.options import Options
    from mypy.types import AnyType, Instance, UnionType, get_proper_type

    options = Options()
    options.ignore_missing_imports, options.follow_imports, options.incremental = True, "silent", False
    options.export_types = options.preserve_asts = True  # the expressions' types, and the trees to walk (else freed)
    names = {str(path): ".".join(path.relative_to(ROOT).with_suffix("").parts) for path in paths}
    result = build.build([BuildSource(path, name) for path, name in names.items()], options)
    found: list[str] = []

    def narrow(var: n.Var) -> bool:
        declared = get_proper_type(var.type)
        if isinstance(declared, UnionType):
            return not any(isinstance(get_proper_type(t), AnyType) for t in declared.items)
        return not isinstance(declared, AnyType) and not (isinstance(declared, Instance) and declared.type.fullname == "builtins.object")

    def walk(path: str, statements: list[n.Statement]) -> None:
        for statement in statements:
            if isinstance(statement, (n.FuncDef, n.Decorator)):
                func = statement.func if isinstance(statement, n.Decorator) else statement
                walk(path, func.body.body)
                continue
            if isinstance(statement, n.ClassDef):
                walk(path, statement.defs.body)
                continue
            if isinstance(statement, n.AssignmentStmt):
                value = result.types.get(statement.rvalue)
                for target in statement.lvalues:
                    if (isinstance(target, n.NameExpr) and isinstance(target.node, n.Var) and target.node.is_inferred
                            and target.node.type is not None and not target.is_inferred_def and narrow(target.node)
                            and value is not None and isinstance(get_proper_type(value), AnyType)):
                        found.append(f"{path}:{statement.line}: {target.name} ({target.node.type}) <- Any")
            for block in (getattr(statement, "body", None), getattr(statement, "else_body", None),
                          getattr(statement, "finally_body", None), *(getattr(statement, "handlers", None) or ())):
                for inner in block if isinstance(block, list) else [block]:
                    if isinstance(inner, n.Block):
                        walk(path, inner.body)

    for state in result.graph.values():
        if state.path in names and state.tree is not None:
            walk(state.path, state.tree.defs)
    return found


def test_no_compiled_local_takes_an_any_its_first_value_did_not_promise() -> None:
    # mypyc types a local by its first value and checks every later one at run time: `value = "text"`, then
    # `value = typed(...)` (Any to mypy, an int at run time) raised TypeError compiled where the source ran on.
    pytest.importorskip("mypy.build")
    assert _any_into_a_narrower_local([ROOT / path for path in HOT_MODULES]) == []


def test_every_hot_module_exists_and_is_named_by_its_import_path() -> None:
    for path, name in zip(HOT_MODULES, module_names()):
        assert (ROOT / path).is_file(), path
        assert name == path.removesuffix(".py").replace("/", "."), name


def test_start_up_names_the_hot_path_when_an_install_runs_it_from_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(speedups, "_in_checkout", lambda: False)  # a wheel built where no C compiler was
    monkeypatch.setattr(speedups, "is_compiled", lambda name: False)
    assert speedups.HOT_PATH in speedups.missing()
    monkeypatch.setattr(speedups, "is_compiled", lambda name: True)
    assert speedups.HOT_PATH not in speedups.missing()


def test_a_source_checkout_runs_its_source_without_a_word() -> None:
    assert speedups._in_checkout()  # this suite runs from the checkout
    assert speedups.HOT_PATH not in speedups.missing()


# Suites that reach every compiled module, run once more against the compiled tree: compiled code differs from its
# source in a few Python habits mypy does not see (a name reused for another type, a Call stand-in, a generator
# dropped unclosed). The cost guard counts Python calls, which compiled code does not make: it runs from source.
COMPILED_SUITES = ["tests/core", "tests/traffic", "tests/api/test_chat.py", "tests/api/test_realtime_ws.py",
                   "tests/doors/test_upload_limits.py", "tests/api/test_responses.py", "tests/api/test_responses_stream.py",
                   "tests/api/test_responses_unstored.py", "tests/api/test_responses_prompt_cache.py",
                   "tests/api/test_responses_tool_search.py", "tests/api/test_usage.py", "tests/content",
                   "tests/api/test_admin.py", "tests/api/test_chat_audio.py", "tests/api/test_chat_search.py",
                   "tests/api/test_chat_prompt_cache.py", "tests/api/test_prompt_formats.py",
                   "tests/api/test_json_keys_in_prose.py", "tests/api/test_generic.py"]


@pytest.fixture(scope="module")
def compiled_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A copy of this checkout (sources and tests) with the hot path compiled in place by setup.py, and what it logged."""
    if not (shutil.which("cc") or shutil.which("gcc")):
        pytest.skip("no C compiler here: a wheel built here is pure Python, which the rest of the suite tests")
    pytest.importorskip("mypyc.build")
    tree = tmp_path_factory.mktemp("compiled") / "tree"
    tree.mkdir()
    built = compile_in_copy(tree, with_tests=True)
    assert built.returncode == 0, built.stderr[-3000:]
    return tree, built.stderr


@pytest.fixture(scope="module")
def compiled_tree(compiled_build: tuple[Path, str]) -> Path:
    """The compiled copy's root."""
    return compiled_build[0]


def _gcc() -> bool:
    compiler = (os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc").split()
    try:
        return "Free Software Foundation" in subprocess.run([*compiler, "--version"], capture_output=True, text=True).stdout
    except OSError:
        return False


@pytest.mark.slow
def test_with_gcc_the_hot_path_is_built_from_a_training_profile(compiled_build: tuple[Path, str]) -> None:
    if not _gcc() or os.environ.get("MOCKAPI_PGO") == "0":
        pytest.skip("profile-guided builds are GCC's (another compiler, or MOCKAPI_PGO=0, builds without a profile)")
    tree, log = compiled_build

    assert "without a profile" not in log, log[-3000:]
    assert list((tree / "build").rglob("*.gcda")), "the training run wrote no profile"
    library = next(tree.glob("mockapi_hot_path__mypyc*"))
    assert b"__gcov_" not in library.read_bytes(), "the instrumented build shipped instead of the one built from its profile"


def _dump(path: Path, cwd: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(path)}
    done = subprocess.run([sys.executable, str(DUMP)], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_a_compiled_build_answers_byte_for_byte_what_the_source_answers(compiled_tree: Path, tmp_path: Path) -> None:
    compiled = _dump(compiled_tree, tmp_path)
    source = _dump(ROOT, tmp_path)

    assert compiled["compiled"] == module_names(), "every hot-path module is compiled"
    assert compiled["replies"] == source["replies"] > 400
    assert compiled["digest"] == source["digest"], "the compiled hot path answered other bytes than its source"


def _pytest(tree: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rf", *args], cwd=tree, env=env,
                          capture_output=True, text=True, timeout=1800)


@pytest.mark.slow
def test_the_suites_of_the_compiled_modules_pass_against_them(compiled_tree: Path) -> None:
    done = _pytest(compiled_tree, "-n", "2", "--ignore", "tests/core/test_compiled.py", *COMPILED_SUITES)
    failed = re.findall(r"^FAILED (\S+)", done.stdout, re.MULTILINE)
    if done.returncode != 0 and failed and len(failed) <= 3:
        # This run shares the cores with the rest of the suite; a test that failed on timing is run once more,
        # alone. What compiling changes (a type, a stand-in, a generator) fails the same way every time.
        done = _pytest(compiled_tree, *failed)
    assert done.returncode == 0, done.stdout[-6000:]
    assert " passed" in done.stdout


def test_this_process_knows_whether_it_runs_compiled() -> None:
    import mockapi.core.engine as engine

    assert is_compiled("mockapi.core.engine") == engine.__file__.endswith((".so", ".pyd"))
