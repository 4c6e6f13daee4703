"""Contract sources for the Administration API: the organization's keys, people, groups, roles and settings.

Every operation here needs an admin key (``sk-admin-...``); ``x-admin-scope`` names the scope the real
server reports missing when an ordinary key calls it (see mockapi/api/admin/access.py). The paths and
types are the installed SDK's (``openai.resources.admin``), including its ``/projects/{project_id}/roles``
paths without the ``/organization`` prefix. Projects live in ops_admin_projects.py, usage and costs in
ops_admin_usage.py; ``_op`` is shared by the three.
"""

from __future__ import annotations

import importlib
import re
import typing
from typing import Any

from typing_extensions import TypedDict, is_typeddict

from . import Operation

_O = "openai.types.admin.organization"
MANAGEMENT_SCOPE = "api.management.read"
USAGE_SCOPE = "api.usage.read"


def _load(dotted: str) -> Any:
    module, _, name = dotted.partition(":")
    return getattr(importlib.import_module(module), name)


def _body_type(dotted: str, path: str) -> str:
    """The request type as the wire sees it: path ids the SDK's params name dropped, unions merged into one object."""
    tp = _load(dotted)
    path_names = set(re.findall(r"{(\w+)}", path))
    if is_typeddict(tp):
        hints = typing.get_type_hints(tp, include_extras=True)
        if not path_names & set(hints):
            return dotted
        fields = {k: v for k, v in hints.items() if k not in path_names}
    else:  # a union of TypedDicts (one per provider): any of their fields, the server tells them apart
        choices: dict[str, list[Any]] = {}
        for member in typing.get_args(tp):
            for key, hint in typing.get_type_hints(member).items():
                choices.setdefault(key, []).append(hint)
        fields = {k: typing.Optional[typing.Union[tuple(v)]] for k, v in choices.items()}
    name = dotted.rpartition(":")[2] + "Body"
    globals()[name] = TypedDict(name, fields, total=is_typeddict(tp) and tp.__total__)  # type: ignore[operator]
    return f"{__name__}:{name}"


def _query(dotted: str, path: str) -> tuple[tuple[str, dict[str, Any]], ...]:
    """Query parameters from the SDK's params TypedDict (plain types only; nested shapes stay open)."""
    from pydantic import TypeAdapter

    tp = _load(dotted)
    path_names = set(re.findall(r"{(\w+)}", path))
    schema = TypeAdapter(tp).json_schema()
    required = set(schema.get("required", []))  # e.g. the usage endpoints' start_time
    out = []
    for name, prop in sorted(schema.get("properties", {}).items()):
        if name in path_names:
            continue
        prop = {} if "$ref" in str(prop) else {k: v for k, v in prop.items() if k not in ("title", "description")}
        out.append((name, {**prop, "x-required": True} if name in required else prop))
    return tuple(out)


def _op(operation_id: str, method: str, path: str, *, response: str, request: str | None = None,
        query: str | None = None, page: str | None = None) -> Operation:
    usage = path.startswith(("/organization/usage", "/organization/costs"))
    words = re.sub(r"([A-Z])", r" \1", operation_id).strip().lower()
    return Operation(
        operation_id, method, path, words[:1].upper() + words[1:], "Usage" if usage else "Administration",
        request=_body_type(request, path) if request else None,
        response=response, response_list=page is not None,
        query=_query(query, path) if query else (),
        stateful=True,
        extra={"admin-scope": USAGE_SCOPE if usage else MANAGEMENT_SCOPE, **({"page": page} if page else {})},
    )


OPERATIONS = [
    _op("createAdminApiKey", "POST", "/organization/admin_api_keys",
        response=f"{_O}.admin_api_key_create_response:AdminAPIKeyCreateResponse",
        request=f"{_O}.admin_api_key_create_params:AdminAPIKeyCreateParams"),
    _op("retrieveAdminApiKey", "GET", "/organization/admin_api_keys/{key_id}",
        response=f"{_O}.admin_api_key:AdminAPIKey"),
    _op("listAdminApiKeys", "GET", "/organization/admin_api_keys",
        response=f"{_O}.admin_api_key:AdminAPIKey",
        query=f"{_O}.admin_api_key_list_params:AdminAPIKeyListParams",
        page="SyncCursorPage"),
    _op("deleteAdminApiKey", "DELETE", "/organization/admin_api_keys/{key_id}",
        response=f"{_O}.admin_api_key_delete_response:AdminAPIKeyDeleteResponse"),
    _op("listAuditLogs", "GET", "/organization/audit_logs",
        response=f"{_O}.audit_log_list_response:AuditLogListResponse",
        query=f"{_O}.audit_log_list_params:AuditLogListParams",
        page="SyncConversationCursorPage"),
    _op("createOrganizationCertificate", "POST", "/organization/certificates",
        response=f"{_O}.certificate:Certificate", request=f"{_O}.certificate_create_params:CertificateCreateParams"),
    _op("retrieveOrganizationCertificate", "GET", "/organization/certificates/{certificate_id}",
        response=f"{_O}.certificate:Certificate", query=f"{_O}.certificate_retrieve_params:CertificateRetrieveParams"),
    _op("modifyOrganizationCertificate", "POST", "/organization/certificates/{certificate_id}",
        response=f"{_O}.certificate:Certificate", request=f"{_O}.certificate_update_params:CertificateUpdateParams"),
    _op("listOrganizationCertificates", "GET", "/organization/certificates",
        response=f"{_O}.certificate_list_response:CertificateListResponse",
        query=f"{_O}.certificate_list_params:CertificateListParams",
        page="SyncConversationCursorPage"),
    _op("deleteOrganizationCertificate", "DELETE", "/organization/certificates/{certificate_id}",
        response=f"{_O}.certificate_delete_response:CertificateDeleteResponse"),
    _op("activateOrganizationCertificates", "POST", "/organization/certificates/activate",
        response=f"{_O}.certificate_activate_response:CertificateActivateResponse",
        request=f"{_O}.certificate_activate_params:CertificateActivateParams",
        page="SyncPage"),
    _op("deactivateOrganizationCertificates", "POST", "/organization/certificates/deactivate",
        response=f"{_O}.certificate_deactivate_response:CertificateDeactivateResponse",
        request=f"{_O}.certificate_deactivate_params:CertificateDeactivateParams",
        page="SyncPage"),
    _op("retrieveOrganizationDataRetention", "GET", "/organization/data_retention",
        response=f"{_O}.organization_data_retention:OrganizationDataRetention"),
    _op("modifyOrganizationDataRetention", "POST", "/organization/data_retention",
        response=f"{_O}.organization_data_retention:OrganizationDataRetention",
        request=f"{_O}.data_retention_update_params:DataRetentionUpdateParams"),
    _op("createExternalKey", "POST", "/organization/external_keys",
        response=f"{_O}.external_key:ExternalKey", request=f"{_O}.external_key_create_params:ExternalKeyCreateParams"),
    _op("retrieveExternalKey", "GET", "/organization/external_keys/{external_key_id}",
        response=f"{_O}.external_key:ExternalKey"),
    _op("listExternalKeys", "GET", "/organization/external_keys",
        response=f"{_O}.external_key:ExternalKey",
        query=f"{_O}.external_key_list_params:ExternalKeyListParams",
        page="SyncCursorPage"),
    _op("deleteExternalKey", "DELETE", "/organization/external_keys/{external_key_id}",
        response=f"{_O}.external_key:ExternalKey"),
    _op("validateExternalKey", "POST", "/organization/external_keys/{external_key_id}/validate",
        response=f"{_O}.external_key_validate_response:ExternalKeyValidateResponse"),
    _op("createExternalStorage", "POST", "/organization/external_storage",
        response=f"{_O}.external_storage_configuration:ExternalStorageConfiguration",
        request=f"{_O}.external_storage_create_params:ExternalStorageCreateParams"),
    _op("retrieveExternalStorage", "GET", "/organization/external_storage/{external_storage_id}",
        response=f"{_O}.external_storage_configuration:ExternalStorageConfiguration"),
    _op("listExternalStorages", "GET", "/organization/external_storage",
        response=f"{_O}.external_storage_configuration:ExternalStorageConfiguration",
        query=f"{_O}.external_storage_list_params:ExternalStorageListParams",
        page="SyncCursorPage"),
    _op("deleteExternalStorage", "DELETE", "/organization/external_storage/{external_storage_id}",
        response=f"{_O}.external_storage_deleted:ExternalStorageDeleted"),
    _op("validateExternalStorage", "POST", "/organization/external_storage/{external_storage_id}/validate",
        response=f"{_O}.external_storage_configuration:ExternalStorageConfiguration"),
    _op("createGroup", "POST", "/organization/groups",
        response=f"{_O}.group:Group", request=f"{_O}.group_create_params:GroupCreateParams"),
    _op("retrieveGroup", "GET", "/organization/groups/{group_id}",
        response=f"{_O}.group:Group"),
    _op("modifyGroup", "POST", "/organization/groups/{group_id}",
        response=f"{_O}.group_update_response:GroupUpdateResponse",
        request=f"{_O}.group_update_params:GroupUpdateParams"),
    _op("listGroups", "GET", "/organization/groups",
        response=f"{_O}.group:Group", query=f"{_O}.group_list_params:GroupListParams", page="SyncNextCursorPage"),
    _op("deleteGroup", "DELETE", "/organization/groups/{group_id}",
        response=f"{_O}.group_delete_response:GroupDeleteResponse"),
    _op("createGroupRole", "POST", "/organization/groups/{group_id}/roles",
        response=f"{_O}.groups.role_create_response:RoleCreateResponse",
        request=f"{_O}.groups.role_create_params:RoleCreateParams"),
    _op("retrieveGroupRole", "GET", "/organization/groups/{group_id}/roles/{role_id}",
        response=f"{_O}.groups.role_retrieve_response:RoleRetrieveResponse"),
    _op("listGroupRoles", "GET", "/organization/groups/{group_id}/roles",
        response=f"{_O}.groups.role_list_response:RoleListResponse",
        query=f"{_O}.groups.role_list_params:RoleListParams",
        page="SyncNextCursorPage"),
    _op("deleteGroupRole", "DELETE", "/organization/groups/{group_id}/roles/{role_id}",
        response=f"{_O}.groups.role_delete_response:RoleDeleteResponse"),
    _op("createGroupUser", "POST", "/organization/groups/{group_id}/users",
        response=f"{_O}.groups.user_create_response:UserCreateResponse",
        request=f"{_O}.groups.user_create_params:UserCreateParams"),
    _op("retrieveGroupUser", "GET", "/organization/groups/{group_id}/users/{user_id}",
        response=f"{_O}.groups.user_retrieve_response:UserRetrieveResponse"),
    _op("listGroupUsers", "GET", "/organization/groups/{group_id}/users",
        response=f"{_O}.groups.organization_group_user:OrganizationGroupUser",
        query=f"{_O}.groups.user_list_params:UserListParams",
        page="SyncNextCursorPage"),
    _op("deleteGroupUser", "DELETE", "/organization/groups/{group_id}/users/{user_id}",
        response=f"{_O}.groups.user_delete_response:UserDeleteResponse"),
    _op("createInvite", "POST", "/organization/invites",
        response=f"{_O}.invite:Invite", request=f"{_O}.invite_create_params:InviteCreateParams"),
    _op("retrieveInvite", "GET", "/organization/invites/{invite_id}",
        response=f"{_O}.invite:Invite"),
    _op("listInvites", "GET", "/organization/invites",
        response=f"{_O}.invite:Invite",
        query=f"{_O}.invite_list_params:InviteListParams",
        page="SyncConversationCursorPage"),
    _op("deleteInvite", "DELETE", "/organization/invites/{invite_id}",
        response=f"{_O}.invite_delete_response:InviteDeleteResponse"),
    _op("createRole", "POST", "/organization/roles",
        response=f"{_O}.role:Role", request=f"{_O}.role_create_params:RoleCreateParams"),
    _op("retrieveRole", "GET", "/organization/roles/{role_id}",
        response=f"{_O}.role:Role"),
    _op("modifyRole", "POST", "/organization/roles/{role_id}",
        response=f"{_O}.role:Role", request=f"{_O}.role_update_params:RoleUpdateParams"),
    _op("listRoles", "GET", "/organization/roles",
        response=f"{_O}.role:Role", query=f"{_O}.role_list_params:RoleListParams", page="SyncNextCursorPage"),
    _op("deleteRole", "DELETE", "/organization/roles/{role_id}",
        response=f"{_O}.role_delete_response:RoleDeleteResponse"),
    _op("createOrganizationSpendAlert", "POST", "/organization/spend_alerts",
        response=f"{_O}.organization_spend_alert:OrganizationSpendAlert",
        request=f"{_O}.spend_alert_create_params:SpendAlertCreateParams"),
    _op("retrieveOrganizationSpendAlert", "GET", "/organization/spend_alerts/{alert_id}",
        response=f"{_O}.organization_spend_alert:OrganizationSpendAlert"),
    _op("modifyOrganizationSpendAlert", "POST", "/organization/spend_alerts/{alert_id}",
        response=f"{_O}.organization_spend_alert:OrganizationSpendAlert",
        request=f"{_O}.spend_alert_update_params:SpendAlertUpdateParams"),
    _op("listOrganizationSpendAlerts", "GET", "/organization/spend_alerts",
        response=f"{_O}.organization_spend_alert:OrganizationSpendAlert",
        query=f"{_O}.spend_alert_list_params:SpendAlertListParams",
        page="SyncConversationCursorPage"),
    _op("deleteOrganizationSpendAlert", "DELETE", "/organization/spend_alerts/{alert_id}",
        response=f"{_O}.organization_spend_alert_deleted:OrganizationSpendAlertDeleted"),
    _op("retrieveOrganizationSpendLimit", "GET", "/organization/spend_limit",
        response=f"{_O}.organization_spend_limit:OrganizationSpendLimit"),
    _op("modifyOrganizationSpendLimit", "POST", "/organization/spend_limit",
        response=f"{_O}.organization_spend_limit:OrganizationSpendLimit",
        request=f"{_O}.spend_limit_update_params:SpendLimitUpdateParams"),
    _op("deleteOrganizationSpendLimit", "DELETE", "/organization/spend_limit",
        response=f"{_O}.organization_spend_limit_deleted:OrganizationSpendLimitDeleted"),
    _op("createUserRole", "POST", "/organization/users/{user_id}/roles",
        response=f"{_O}.users.role_create_response:RoleCreateResponse",
        request=f"{_O}.users.role_create_params:RoleCreateParams"),
    _op("retrieveUserRole", "GET", "/organization/users/{user_id}/roles/{role_id}",
        response=f"{_O}.users.role_retrieve_response:RoleRetrieveResponse"),
    _op("listUserRoles", "GET", "/organization/users/{user_id}/roles",
        response=f"{_O}.users.role_list_response:RoleListResponse",
        query=f"{_O}.users.role_list_params:RoleListParams",
        page="SyncNextCursorPage"),
    _op("deleteUserRole", "DELETE", "/organization/users/{user_id}/roles/{role_id}",
        response=f"{_O}.users.role_delete_response:RoleDeleteResponse"),
    _op("retrieveUser", "GET", "/organization/users/{user_id}",
        response=f"{_O}.organization_user:OrganizationUser"),
    _op("modifyUser", "POST", "/organization/users/{user_id}",
        response=f"{_O}.organization_user:OrganizationUser", request=f"{_O}.user_update_params:UserUpdateParams"),
    _op("listUsers", "GET", "/organization/users",
        response=f"{_O}.organization_user:OrganizationUser",
        query=f"{_O}.user_list_params:UserListParams",
        page="SyncConversationCursorPage"),
    _op("deleteUser", "DELETE", "/organization/users/{user_id}",
        response=f"{_O}.user_delete_response:UserDeleteResponse"),
    _op("createFederationRule", "POST", "/organization/workload_identity_providers/{workload_identity_provider_id}/federation_rules",
        response=f"{_O}.workload_identity_providers.federation_rule:FederationRule",
        request=f"{_O}.workload_identity_providers.federation_rule_create_params:FederationRuleCreateParams"),
    _op("retrieveFederationRule", "GET", "/organization/workload_identity_providers/{workload_identity_provider_id}/federation_rules/{workload_identity_federation_rule_id}",
        response=f"{_O}.workload_identity_providers.federation_rule:FederationRule"),
    _op("modifyFederationRule", "POST", "/organization/workload_identity_providers/{workload_identity_provider_id}/federation_rules/{workload_identity_federation_rule_id}",
        response=f"{_O}.workload_identity_providers.federation_rule:FederationRule",
        request=f"{_O}.workload_identity_providers.federation_rule_update_params:FederationRuleUpdateParams"),
    _op("listFederationRules", "GET", "/organization/workload_identity_providers/{workload_identity_provider_id}/federation_rules",
        response=f"{_O}.workload_identity_providers.federation_rule:FederationRule",
        query=f"{_O}.workload_identity_providers.federation_rule_list_params:FederationRuleListParams",
        page="SyncCursorPage"),
    _op("deleteFederationRule", "DELETE", "/organization/workload_identity_providers/{workload_identity_provider_id}/federation_rules/{workload_identity_federation_rule_id}",
        response=f"{_O}.workload_identity_providers.federation_rule_deleted:FederationRuleDeleted"),
    _op("createWorkloadIdentityProvider", "POST", "/organization/workload_identity_providers",
        response=f"{_O}.workload_identity_provider:WorkloadIdentityProvider",
        request=f"{_O}.workload_identity_provider_create_params:WorkloadIdentityProviderCreateParams"),
    _op("retrieveWorkloadIdentityProvider", "GET", "/organization/workload_identity_providers/{workload_identity_provider_id}",
        response=f"{_O}.workload_identity_provider:WorkloadIdentityProvider"),
    _op("modifyWorkloadIdentityProvider", "POST", "/organization/workload_identity_providers/{workload_identity_provider_id}",
        response=f"{_O}.workload_identity_provider:WorkloadIdentityProvider",
        request=f"{_O}.workload_identity_provider_update_params:WorkloadIdentityProviderUpdateParams"),
    _op("listWorkloadIdentityProviders", "GET", "/organization/workload_identity_providers",
        response=f"{_O}.workload_identity_provider:WorkloadIdentityProvider",
        query=f"{_O}.workload_identity_provider_list_params:WorkloadIdentityProviderListParams",
        page="SyncCursorPage"),
    _op("deleteWorkloadIdentityProvider", "DELETE", "/organization/workload_identity_providers/{workload_identity_provider_id}",
        response=f"{_O}.workload_identity_provider_deleted:WorkloadIdentityProviderDeleted"),
]
