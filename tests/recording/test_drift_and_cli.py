"""Drift (recorded answers against the contract, and against a live upstream) and the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import make_engine
from recording_helpers import API_KEY, client_of, recording_engine, start_upstream

from mockapi.cli import _settings, build_parser, main
from mockapi.core.config import ConfigError
from mockapi.core.results import Reply
from mockapi.doors.live import LiveServer

HI = [{"role": "user", "content": "Say hi"}]


class NewerAPI:
    """An upstream 'from the future': its chat answers carry a field and an enum value the contract lacks."""

    def before(self, call):
        return None

    def after(self, call, reply: Reply) -> Reply:
        if call.op.operation_id == "createChatCompletion" and reply.status == 200 and reply.stream is None:
            body = json.loads(reply.body)
            body["reasoning_trace"] = {"steps": 3}
            body["choices"][0]["finish_reason"] = "paused"
            reply.body = json.dumps(body).encode()
        return reply


def newer_upstream() -> LiveServer:
    engine = make_engine(seed=7)
    engine.hooks.append(NewerAPI())
    return LiveServer(engine).start()


def test_drift_reports_the_unknown_field_and_the_value_outside_its_enum(tmp_path: Path, capsys) -> None:
    upstream = newer_upstream()
    try:
        client_of(recording_engine(tmp_path, "record", upstream.base_url)).chat.completions.create(model="gpt-4o-mini", messages=HI)
    finally:
        upstream.stop()
    assert main(["drift", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "reasoning_trace" in out and "unknown field" in out
    assert "choices[].finish_reason" in out and "outside enum" in out and "'paused'" in out


def test_no_drift_in_what_the_current_mock_says(tmp_path: Path, capsys) -> None:
    upstream = start_upstream()
    try:
        client = client_of(recording_engine(tmp_path, "record", upstream.base_url))
        client.chat.completions.create(model="gpt-4o-mini", messages=HI)
        list(client.chat.completions.create(model="gpt-4o-mini", messages=HI, stream=True))
        client.embeddings.create(model="text-embedding-3-small", input="hello")
    finally:
        upstream.stop()
    assert main(["drift", str(tmp_path)]) == 0, capsys.readouterr().out
    assert "no drift" in capsys.readouterr().out


def test_a_response_field_the_sdk_types_lack_is_drift(tmp_path: Path, capsys) -> None:
    # The API's Response objects carry "store" (as the mock's do), which the SDK's Response type does not declare.
    upstream = start_upstream()
    try:
        client_of(recording_engine(tmp_path, "record", upstream.base_url)).responses.create(model="gpt-4o-mini", input="Hello")
    finally:
        upstream.stop()
    assert main(["drift", str(tmp_path)]) == 1
    assert "store  unknown field" in capsys.readouterr().out


def test_drift_against_a_live_upstream_compares_shapes(tmp_path: Path, capsys, monkeypatch) -> None:
    upstream = start_upstream()
    try:
        client_of(recording_engine(tmp_path, "record", upstream.base_url)).chat.completions.create(model="gpt-4o-mini", messages=HI)
    finally:
        upstream.stop()
    newer = newer_upstream()
    monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
    try:
        assert main(["drift", str(tmp_path), "--upstream", newer.base_url]) == 1
    finally:
        newer.stop()
    out = capsys.readouterr().out
    assert "reasoning_trace" in out and "new live (dict)" in out


def test_serve_flags_become_recording_settings(tmp_path: Path) -> None:
    args = build_parser().parse_args(["serve", "--record", str(tmp_path), "--upstream", "http://127.0.0.1:9/v1",
                                      "--record-mode", "record-on-miss", "--scrub", "[a-z]+@example.com"])
    recording = _settings(args).extra["recording"]
    assert recording["mode"] == "record-on-miss" and recording["scrub_patterns"] == ["[a-z]+@example.com"]
    engine = make_engine(extra={"recording": recording})
    assert engine.hooks[-1] is engine.recording  # after faults, rate limits and latency
    replay = _settings(build_parser().parse_args(["serve", "--replay", str(tmp_path), "--strict", "--replay-speed", "1"]))
    assert replay.extra["recording"]["mode"] == "replay" and replay.extra["recording"]["strict"] is True


@pytest.mark.parametrize("argv", [["--record", "x"], ["--record", "x", "--replay", "y", "--upstream", "http://h/v1"],
                                  ["--upstream", "http://h/v1"], ["--replay", "x", "--replay-speed", "0"],
                                  ["--replay", "x", "--workers", "2"]])
def test_serve_refuses_flags_that_disagree(argv: list[str]) -> None:
    with pytest.raises(ConfigError):
        _settings(build_parser().parse_args(["serve", *argv]))
