"""The app for multi-worker serving: each worker process rebuilds it from MOCKAPI_SETTINGS_JSON."""

from __future__ import annotations

import json
import os

from mockapi.core.config import Settings, from_mapping, load_settings
from mockapi.traffic.redaction import install_log_redaction, known_secrets

from .app import create_app
from .serving import settle_heap


def _settings_from_env() -> Settings:
    raw = os.environ.get("MOCKAPI_SETTINGS_JSON")
    if not raw:
        return load_settings()  # started directly by uvicorn: the config file and MOCKAPI_* variables
    data = json.loads(raw)
    data["keys"] = {k: {kk: vv for kk, vv in v.items()} for k, v in (data.get("keys") or {}).items()}
    return from_mapping(data)


_settings = _settings_from_env()
install_log_redaction(known_secrets(_settings))  # this process's access log masks keys and the admin token
app = create_app(_settings)
if os.environ.get("MOCKAPI_SETTINGS_JSON"):  # a worker of `mockapi serve --workers N` (not a test importing this)
    settle_heap()  # each worker process built its own app: freeze it there
