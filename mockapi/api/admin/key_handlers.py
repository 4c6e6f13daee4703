"""Administration API handlers: admin keys, service accounts, project API keys and project rate limits."""

from __future__ import annotations

from typing import Any

from mockapi.core.repo import public

from . import audit, keys, projects, rate_limits
from .access import admin_call, organization_of
from .records import deleted, list_page


def _project(call: Any, repo: Any) -> dict[str, Any]:
    return projects.get(repo, call.path_params["project_id"])


def create_admin_api_key(call: Any) -> dict[str, Any]:
    """POST /organization/admin_api_keys (the answer alone carries ``value``)"""
    repo = admin_call(call)
    key = keys.create_admin_key(repo, organization_of(call.request.headers, call.key.organization), call.body)
    audit.record(call, repo, "api_key.created", key["id"], {"scopes": []})
    return key


def retrieve_admin_api_key(call: Any) -> dict[str, Any]:
    """GET /organization/admin_api_keys/{key_id}"""
    return keys.get_admin_key(admin_call(call), call.path_params["key_id"])


def delete_admin_api_key(call: Any) -> dict[str, Any]:
    """DELETE /organization/admin_api_keys/{key_id}"""
    repo = admin_call(call)
    key = keys.delete_admin_key(repo, call.path_params["key_id"])
    audit.record(call, repo, "api_key.deleted", key["id"])
    return deleted("organization.admin_api_key.deleted", key["id"])


def list_admin_api_keys(call: Any) -> dict[str, Any]:
    """GET /organization/admin_api_keys"""
    return list_page(call, admin_call(call).list(keys.ADMIN_KEY), noun="admin API key")


def create_project_service_account(call: Any) -> dict[str, Any]:
    """POST /organization/projects/{project_id}/service_accounts (its key's secret shown once)"""
    repo = admin_call(call)
    account = keys.create_service_account(repo, call.path_params["project_id"], call.body)
    project = _project(call, repo)
    audit.record(call, repo, "service_account.created", account["id"], {"role": account["role"]}, project)
    audit.record(call, repo, "api_key.created", account["api_key"]["id"], {"scopes": []}, project)
    return account


def create_project_service_account_api_key(call: Any) -> dict[str, Any]:
    """POST /organization/projects/{project_id}/service_accounts/{service_account_id}/api_keys"""
    repo = admin_call(call)
    pid = call.path_params["project_id"]
    account = keys.get_service_account(repo, pid, call.path_params["service_account_id"])
    projects.require_active(_project(call, repo))
    key = keys.issue_service_account_key(repo, pid, account, call.body.get("expires_in_seconds"))
    audit.record(call, repo, "api_key.created", key["id"], {"scopes": []}, _project(call, repo))
    return key


def retrieve_project_service_account(call: Any) -> dict[str, Any]:
    """GET /organization/projects/{project_id}/service_accounts/{service_account_id}"""
    return keys.get_service_account(admin_call(call), call.path_params["project_id"], call.path_params["service_account_id"])


def modify_project_service_account(call: Any) -> dict[str, Any]:
    """POST /organization/projects/{project_id}/service_accounts/{service_account_id}"""
    repo = admin_call(call)
    account = keys.update_service_account(repo, call.path_params["project_id"], call.path_params["service_account_id"], call.body)
    audit.record(call, repo, "service_account.updated", account["id"], {"changes_requested": {"role": account["role"]}},
                 _project(call, repo))
    return account


def delete_project_service_account(call: Any) -> dict[str, Any]:
    """DELETE /organization/projects/{project_id}/service_accounts/{service_account_id}"""
    repo = admin_call(call)
    sid = call.path_params["service_account_id"]
    keys.delete_service_account(repo, call.path_params["project_id"], sid)
    audit.record(call, repo, "service_account.deleted", sid, None, _project(call, repo))
    return deleted("organization.project.service_account.deleted", sid)


def list_project_service_accounts(call: Any) -> dict[str, Any]:
    """GET /organization/projects/{project_id}/service_accounts"""
    repo = admin_call(call)
    pid = _project(call, repo)["id"]
    return list_page(call, repo.list(f"{keys.SERVICE_ACCOUNT}:{pid}"), noun="service account")


def retrieve_project_api_key(call: Any) -> dict[str, Any]:
    """GET /organization/projects/{project_id}/api_keys/{api_key_id}"""
    return keys.get_project_key(admin_call(call), call.path_params["project_id"], call.path_params["api_key_id"])


def modify_project_api_key(call: Any) -> dict[str, Any]:
    """POST /organization/projects/{project_id}/api_keys/{api_key_id}"""
    repo = admin_call(call)
    key = keys.update_project_key(repo, call.path_params["project_id"], call.path_params["api_key_id"], call.body)
    audit.record(call, repo, "api_key.updated", key["id"], {"changes_requested": {"scopes": []}}, _project(call, repo))
    return key


def delete_project_api_key(call: Any) -> dict[str, Any]:
    """DELETE /organization/projects/{project_id}/api_keys/{api_key_id}"""
    repo = admin_call(call)
    key = keys.delete_project_key(repo, call.path_params["project_id"], call.path_params["api_key_id"])
    audit.record(call, repo, "api_key.deleted", key["id"], None, _project(call, repo))
    return deleted("organization.project.api_key.deleted", key["id"])


def list_project_api_keys(call: Any) -> dict[str, Any]:
    """GET /organization/projects/{project_id}/api_keys (every key used in the project, and the service accounts')"""
    repo = admin_call(call)
    pid = _project(call, repo)["id"]
    return list_page(call, [public(k) for k in repo.list(f"{keys.PROJECT_KEY}:{pid}")], noun="API key")


def list_project_rate_limits(call: Any) -> dict[str, Any]:
    """GET /organization/projects/{project_id}/rate_limits"""
    repo = admin_call(call)
    return list_page(call, rate_limits.listed(call, repo, _project(call, repo)["id"]), noun="rate limit")


def modify_project_rate_limit(call: Any) -> dict[str, Any]:
    """POST /organization/projects/{project_id}/rate_limits/{rate_limit_id}"""
    repo = admin_call(call)
    project = _project(call, repo)
    projects.require_active(project)
    limit = rate_limits.update(call, repo, project["id"], call.path_params["rate_limit_id"], call.body)
    audit.record(call, repo, "rate_limit.updated", limit["id"], {"changes_requested": dict(call.body)}, project)
    return limit


HANDLERS = {
    "createAdminApiKey": create_admin_api_key,
    "retrieveAdminApiKey": retrieve_admin_api_key,
    "deleteAdminApiKey": delete_admin_api_key,
    "listAdminApiKeys": list_admin_api_keys,
    "createProjectServiceAccount": create_project_service_account,
    "createProjectServiceAccountApiKey": create_project_service_account_api_key,
    "retrieveProjectServiceAccount": retrieve_project_service_account,
    "modifyProjectServiceAccount": modify_project_service_account,
    "deleteProjectServiceAccount": delete_project_service_account,
    "listProjectServiceAccounts": list_project_service_accounts,
    "retrieveProjectApiKey": retrieve_project_api_key,
    "modifyProjectApiKey": modify_project_api_key,
    "deleteProjectApiKey": delete_project_api_key,
    "listProjectApiKeys": list_project_api_keys,
    "listProjectRateLimits": list_project_rate_limits,
    "modifyProjectRateLimit": modify_project_rate_limit,
}
