"""Config validation: unknown keys get a "did you mean", values are typed, store URLs parse, and the
settings handed to worker processes as JSON come back whole."""

from __future__ import annotations

import dataclasses
import json

import pytest

from mockapi.core.config import (
    EXTRA_KEYS,
    ConfigError,
    KeyInfo,
    Settings,
    from_mapping,
    known_keys,
    load_settings,
)


@pytest.mark.parametrize("key, hint", [("validaton", "validation"), ("sed", "seed"), ("fixture", "fixtures"),
                                       ("rate_limit", "rate_limits"), ("keyformat", "key_format")])
def test_a_misspelled_key_names_the_one_meant(key, hint):
    with pytest.raises(ConfigError) as caught:
        from_mapping({key: 1}, source="mock.yaml")
    assert str(caught.value) == f"mock.yaml: unknown config key {key!r} (did you mean {hint!r}?)"


def test_a_key_like_nothing_known_lists_the_known_keys():
    with pytest.raises(ConfigError, match="known keys: .*validation"):
        from_mapping({"zzzzqqq": 1})


def test_every_documented_extra_key_is_accepted():
    settings = from_mapping({"progress": "polls:2", "public_url": "http://x", "rate_limits": {}, "azure_deployments": {}})
    assert set(settings.extra) <= set(EXTRA_KEYS) and settings.extra["progress"] == "polls:2"
    assert set(EXTRA_KEYS) <= set(known_keys())


@pytest.mark.parametrize("data, message", [
    ({"seed": "abc"}, "seed must be an integer, not 'abc'"),
    ({"seed": True}, "seed must be an integer"),
    ({"port": "80"}, "port must be an integer"),
    ({"port": 70000}, "port must be 1-65535"),
    ({"workers": 0}, "workers must be at least 1"),
    ({"key_format": "loose"}, "key_format must be one of"),
    ({"store": "redis://:6379/0"}, "names no host"),
    ({"store": "redis://localhost:6379/zero"}, "the database must be a number"),
    ({"store": "redis://localhost:port/0"}, "is not a valid URL"),
    ({"fixtures": 5}, "fixtures must be a directory"),
    ({"models": ["gpt-4o"]}, "models must map each model id"),
    ({"keys": {"sk-a": "org-a"}}, "keys.… must be a mapping"),  # the key itself is never printed
    ({"frozen_time": "noon"}, "frozen_time must be a number"),
])
def test_bad_values_are_refused_with_the_source(data, message):
    with pytest.raises(ConfigError) as caught:
        from_mapping(data, source="mock.yaml")
    assert str(caught.value).startswith("mock.yaml: ") and message in str(caught.value)


def test_good_store_urls_pass():
    for url in ("memory", "redis://localhost:6379/0", "rediss://user:pw@cache.example:6380", "unix:///tmp/redis.sock"):
        assert from_mapping({"store": url}).store == url


def test_a_bad_environment_value_names_the_variable():
    with pytest.raises(ConfigError, match="MOCKAPI_SEED"):
        load_settings(env={"MOCKAPI_SEED": "abc"})


def test_the_settings_workers_get_as_json_come_back_whole():
    settings = Settings(seed=7, keys={"sk-a": KeyInfo(organization="org-a")}, key_format="any", fixtures=("a",),
                        extra={"progress": "polls:2"})
    again = from_mapping(json.loads(json.dumps(dataclasses.asdict(settings), default=str)))
    assert again == settings
