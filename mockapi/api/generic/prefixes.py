"""The real id prefixes of the objects generic resources make, by collection template.

Sources: the ids in the openai SDK's docstrings and its generated tests (``tests/api_resources``), and
the API reference's examples (``batch_abc123``, ``ftjob-abc123``, ``cntr_...``, ``proj_abc``,
``user-abc``, ``invite-abc``, ``svc_acct_abc``, ``key_abc``). A collection not listed takes its
object type (``eval.run`` -> ``evalrun_``) or its singular name as the prefix.
"""

from __future__ import annotations

import re
from typing import Any

PREFIXES = {
    "/batches": "batch_",
    "/fine_tuning/jobs": "ftjob-",
    "/fine_tuning/jobs/{}/events": "ftevent-",
    "/fine_tuning/jobs/{}/checkpoints": "ftckpt_",
    "/fine_tuning/checkpoints/{}/permissions": "cp_",
    "/evals": "eval_",
    "/evals/{}/runs": "evalrun_",
    "/evals/{}/runs/{}/output_items": "outputitem_",
    "/containers": "cntr_",
    "/containers/{}/files": "cfile_",
    "/videos": "video_",
    "/skills": "skill_",
    "/chatkit/sessions": "cksess_",
    "/chatkit/threads": "cthr_",
    "/realtime/client_secrets": "ek_",
    "/realtime/sessions": "sess_",
    "/realtime/transcription_sessions": "sess_",
    "/audio/voices": "voice_",
    "/organization/projects": "proj_",
    "/organization/users": "user-",
    "/organization/invites": "invite-",
    "/organization/admin_api_keys": "key_",
    "/organization/projects/{}/api_keys": "key_",
    "/organization/projects/{}/service_accounts": "svc_acct_",
    "/organization/projects/{}/users": "user-",
    "/organization/groups": "group_",
    "/organization/roles": "role_",
    "/organization/projects/{}/roles": "role_",
    "/organization/certificates": "cert_",
}


def prefix_for(collection: str, response_schema: dict[str, Any] | None) -> str:
    """The id prefix of objects created in ``collection``."""
    template = re.sub(r"\{\w+\}", "{}", collection)
    if template in PREFIXES:
        return PREFIXES[template]
    obj = ((response_schema or {}).get("properties") or {}).get("object") or {}
    kind = obj.get("const") or (obj.get("enum") or [None])[0]
    if isinstance(kind, str) and kind and kind != "list":
        return re.sub(r"[^a-z0-9]", "", kind.lower()) + "_"
    from .classify import singular

    last = template.rstrip("/").rsplit("/", 1)[-1]
    return singular(last) + "_"
