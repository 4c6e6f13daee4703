"""The mockapi pytest plugin: fixtures ``mockapi`` (in-process), ``mockapi_server`` (live) and ``contract``.

Registered through the ``pytest11`` entry point; disable it with ``-p no:mockapi``. Importing this
module is cheap: the engine, the web server and the openai SDK are imported inside the fixtures.
Configure with ``@pytest.mark.mockapi(seed=…, tier=…, faults=[…], fixtures="path", latency="realistic")``
and the ``mockapi_*`` ini options (see ``docs/pytest-plugin.md``).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Iterator

import pytest

from .harness.fixture import contract  # noqa: F401 - the client-verification fixture (cheap to import)

if TYPE_CHECKING:
    from .testing.mocking import Options
    from .testing.session import MockSession

_INI = {
    "mockapi_seed": ("seed of every generated answer (default 0)", "string", "0"),
    "mockapi_fixtures": ("canned-reply fixture files or directories", "paths", []),
    "mockapi_base_urls": ("extra base URLs the in-process mode serves (api.openai.com and Azure are always on)",
                          "linelist", []),
    "mockapi_passthrough": ("host globs unmocked requests may reach in-process ('*': all); default: fail loudly",
                            "linelist", []),
    "mockapi_tier": ("usage tier for rate limits (default tier-5)", "string", ""),
    "mockapi_latency": ("latency profile: off, fast, realistic, slow or ttft=…,tps=…", "string", ""),
    "mockapi_frozen_time": ("epoch seconds the clock is frozen at, or 'none' for a running clock", "string", ""),
    "mockapi_autouse": ("every test runs with the in-process mock (the mockapi fixture), its code unchanged", "bool", False),
    "mockapi_set_env": ("set OPENAI_BASE_URL and OPENAI_API_KEY for each test (default true)", "bool", True),
    "mockapi_cassettes": ("record/replay: a directory of cassettes (one per test module) every test uses", "string", ""),
    "mockapi_upstream": ("record/replay: the base URL recordings forward to (default https://api.openai.com/v1)",
                         "string", ""),
}
MARKER = ("mockapi(seed=None, tier=None, faults=None, fixtures=None, latency=None, base_urls=None, passthrough=None, "
          "frozen_time=None, set_env=None, api_key=None, replay=None, record=None, replay_strict=True, replay_speed=None, "
          "scrub=None): configure the mockapi fixtures for this test")


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the ``mockapi_*`` ini options and the record/replay command-line options."""
    for name, (help_text, kind, default) in _INI.items():
        parser.addini(name, help_text, type=kind, default=default)
    group = parser.getgroup("mockapi", "mockapi record and replay (docs/record-replay.md)")
    group.addoption("--mockapi-record", choices=["none", "new", "all"], default=None,
                    help="none: replay cassettes only (default); new: record what they lack; all: record everything")
    group.addoption("--mockapi-upstream", default=None, help="the base URL recordings forward to")
    parser.addoption("--mockapi", action="store_true", default=False,
                     help="every test runs with the in-process mock (as the mockapi_autouse ini option): an existing suite, offline")


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``mockapi`` marker."""
    config.addinivalue_line("markers", MARKER)


def _session_options(config: pytest.Config) -> "Options":
    from .testing.mocking import FROZEN_AT, Options

    frozen = str(config.getini("mockapi_frozen_time") or "").strip()
    try:
        return Options(
            seed=int(config.getini("mockapi_seed") or 0),
            tier=config.getini("mockapi_tier") or None,
            latency=config.getini("mockapi_latency") or None,
            fixtures=tuple(str(p) for p in config.getini("mockapi_fixtures")),
            base_urls=Options().base_urls + tuple(config.getini("mockapi_base_urls")),
            passthrough=tuple(config.getini("mockapi_passthrough")),
            frozen_time=None if frozen.lower() in ("none", "off", "real") else float(frozen) if frozen else FROZEN_AT,
            set_env=bool(config.getini("mockapi_set_env")),
        )
    except ValueError as exc:
        raise pytest.UsageError(f"mockapi: bad ini option: {exc}") from None


def _test_options(request: pytest.FixtureRequest) -> "Options":
    from .recording.plugin import split_marker

    options = _session_options(request.config)
    for marker in reversed(list(request.node.iter_markers("mockapi"))):  # closest marker last, so it wins
        if marker.args:
            raise pytest.UsageError("@pytest.mark.mockapi takes keyword arguments only")
        kwargs, _ = split_marker(dict(marker.kwargs))
        fixtures = kwargs.get("fixtures")
        if fixtures:
            paths = [fixtures] if isinstance(fixtures, (str, os.PathLike)) else fixtures
            kwargs["fixtures"] = [_resolve(request, p) for p in paths]
        options = options.merged(kwargs)
    return options


def _resolve(request: pytest.FixtureRequest, path: Any) -> str:
    """A marker path: relative to the test file's directory when it exists there, else to the rootdir."""
    candidate = request.path.parent / str(path)
    return str(candidate if candidate.exists() else request.config.rootpath / str(path))


def _recording(request: pytest.FixtureRequest, session: "MockSession") -> Any:
    """Install this test's record/replay hook (``replay=`` marker or ``mockapi_cassettes``), if it has one."""
    from .recording.hook import install
    from .recording.plugin import options_for, split_marker

    marker: dict[str, Any] = {}
    for found in reversed(list(request.node.iter_markers("mockapi"))):
        marker.update(split_marker(dict(found.kwargs))[1])
    config = request.config
    try:
        options = options_for(request.path, request.path.stem, request.node.nodeid, marker,
                              record=config.getoption("--mockapi-record"),
                              upstream=config.getoption("--mockapi-upstream") or config.getini("mockapi_upstream") or None,
                              cassettes=config.getini("mockapi_cassettes") or None, rootdir=config.rootpath)
    except ValueError as exc:
        raise pytest.UsageError(f"mockapi: {exc}") from None
    return install(session.engine, options) if options else None


def _set_env(session: "MockSession") -> pytest.MonkeyPatch:
    patch = pytest.MonkeyPatch()
    if session.options.set_env:
        patch.setenv("OPENAI_BASE_URL", session.base_url)
        patch.setenv("OPENAI_API_KEY", session.api_key)
    return patch


@pytest.fixture
def mockapi(request: pytest.FixtureRequest) -> Iterator["MockSession"]:
    """The mock in-process: httpx/httpx2 requests to the mocked base URLs are served with no socket."""
    from .testing.session import inprocess

    with inprocess(_test_options(request)) as session:
        _recording(request, session)  # before _set_env: a recording forwards the user's own OPENAI_API_KEY
        patch = _set_env(session)
        try:
            yield session
        finally:
            patch.undo()
        blocked = session.interceptor.blocked if session.interceptor else []
    if blocked:
        pytest.fail("mockapi refused requests to unmocked hosts:\n  " + "\n  ".join(blocked)
                    + "\nMock them with base_urls=[...] or allow them with passthrough=[...].", pytrace=False)


@pytest.fixture(autouse=True)
def _mockapi_autouse(request: pytest.FixtureRequest) -> None:
    """With ``--mockapi`` (or ``mockapi_autouse``), give every test the in-process mock, as if it asked for ``mockapi``."""
    if request.config.getoption("--mockapi") or request.config.getini("mockapi_autouse"):
        if "mockapi_server" not in request.fixturenames:  # a test that asks for the live server keeps it
            request.getfixturevalue("mockapi")


@pytest.fixture(scope="session")
def _mockapi_live(request: pytest.FixtureRequest) -> Iterator[Any]:
    """One live server per test session (per xdist worker), with its engine's pristine baseline."""
    from .testing.session import start_server

    server, baseline = start_server(_session_options(request.config))
    try:
        yield server, baseline
    finally:
        server.stop()


@pytest.fixture
def mockapi_server(request: pytest.FixtureRequest, _mockapi_live: Any) -> Iterator["MockSession"]:
    """The mock as a real HTTP server on 127.0.0.1 (for requests, aiohttp, Node, …), reset for this test."""
    from .testing.session import live

    server, baseline = _mockapi_live
    with live(server, baseline, _test_options(request)) as session:
        recording = _recording(request, session)
        patch = _set_env(session)
        try:
            yield session
        finally:
            patch.undo()
            if recording is not None:  # the live engine outlives the test
                from .recording.hook import uninstall

                uninstall(session.engine)
