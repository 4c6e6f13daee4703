"""Tenancy: which tenant (state namespace) a request acts in, from its key and organization/project headers."""

from __future__ import annotations

import functools
import re
from typing import Callable

from .config import KeyInfo
from .determinism import digest
from .errors import AuthenticationError

_KEY_PATTERN = re.compile(r"^sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{1,}$")


@functools.lru_cache(maxsize=1024)
def well_formed_key(key: str) -> bool:
    """Whether ``key`` has an OpenAI key's form (``sk-…``): cached, as a client sends its key with every request."""
    return _KEY_PATTERN.match(key) is not None


def scope(key: str, info: KeyInfo, org_header: str | None, project_header: str | None) -> tuple[str, KeyInfo]:
    """The tenant a key acts as, given the organization and project headers it sent.

    A header selects among what the key's config allows (the first listed is the default); naming
    anything else is the real API's 401 (source: error bodies quoted in openai/codex#1000 and
    Azure-Samples/ai-rag-chat-evaluator#76: "OpenAI-Organization header should match organization for
    API key", code ``mismatched_organization``; its project twin, "OpenAI-Project header should match
    project for API key", 401, code ``mismatched_project``, is quoted the same way by client projects
    that handle it). State is shared only where config grants it: keys allowed
    the same organization (or, with none listed, the same project) share that tenant. Whatever a header
    chooses freely (every key when none are configured, or a key with nothing listed) only subdivides
    the key's own tenant, so two keys never meet by sending the same header.
    """
    org, org_granted = _select(org_header, info.organizations, "organization", "OpenAI-Organization")
    project, project_granted = _select(project_header, info.projects, "project", "OpenAI-Project")
    if not org and not project:
        return key_tenant(key), info
    name = f"org:{org or '-'}/proj:{project or '-'}"
    shared = org_granted or (not org and project_granted)
    selected = KeyInfo(organization=org, project=project, tier=info.tier,
                       organizations=info.organizations, projects=info.projects)
    return (name if shared else f"{key_tenant(key)}/{name}"), selected


def _select(header: str | None, allowed: tuple[str, ...], what: str, header_name: str) -> tuple[str | None, bool]:
    """(the chosen name, whether config granted it): the header's choice among ``allowed``, else the default."""
    header = (header or "").strip() or None
    if not allowed:
        return header, False
    if header is None:
        return allowed[0], True
    if header not in allowed:
        raise AuthenticationError(f"{header_name} header should match {what} for API key", code=f"mismatched_{what}")
    return header, True


@functools.lru_cache(maxsize=1024)
def key_tenant(key: str) -> str:
    """The tenant of a key sent without organization or project (cached: keys repeat)."""
    return "key:" + digest("tenant", key)[:16]


def first_reading(readers: list[Callable[[str], str | None]], token: str) -> str | None:
    """What the first reader that knows ``token`` says it stands for (later readers are not asked)."""
    for read in readers:
        found = read(token)
        if found:
            return found
    return None
