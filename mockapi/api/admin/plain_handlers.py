"""Administration API handlers for the plain resources (mockapi/api/admin/plain.py): one thin handler, many operations."""

from __future__ import annotations

from typing import Any

from . import plain
from .access import admin_call

PLAIN_OPERATIONS = (
    "createOrganizationCertificate", "retrieveOrganizationCertificate", "modifyOrganizationCertificate",
    "deleteOrganizationCertificate", "listOrganizationCertificates", "activateOrganizationCertificates",
    "deactivateOrganizationCertificates", "listProjectCertificates", "activateProjectCertificates",
    "deactivateProjectCertificates",
    "retrieveOrganizationDataRetention", "modifyOrganizationDataRetention",
    "retrieveProjectDataRetention", "modifyProjectDataRetention",
    "createExternalKey", "retrieveExternalKey", "deleteExternalKey", "listExternalKeys", "validateExternalKey",
    "createExternalStorage", "retrieveExternalStorage", "deleteExternalStorage", "listExternalStorages",
    "validateExternalStorage",
    "createGroup", "retrieveGroup", "modifyGroup", "deleteGroup", "listGroups",
    "createGroupRole", "retrieveGroupRole", "deleteGroupRole", "listGroupRoles",
    "createGroupUser", "retrieveGroupUser", "deleteGroupUser", "listGroupUsers",
    "createProjectGroup", "retrieveProjectGroup", "deleteProjectGroup", "listProjectGroups",
    "createProjectGroupRole", "retrieveProjectGroupRole", "deleteProjectGroupRole", "listProjectGroupRoles",
    "retrieveProjectHostedToolPermissions", "modifyProjectHostedToolPermissions",
    "retrieveProjectModelPermissions", "modifyProjectModelPermissions", "deleteProjectModelPermissions",
    "retrieveProjectServiceTierSettings", "modifyProjectServiceTierSettings",
    "createProjectRole", "retrieveProjectRole", "modifyProjectRole", "deleteProjectRole", "listProjectRoles",
    "createProjectUserRole", "retrieveProjectUserRole", "deleteProjectUserRole", "listProjectUserRoles",
    "createRole", "retrieveRole", "modifyRole", "deleteRole", "listRoles",
    "createUserRole", "retrieveUserRole", "deleteUserRole", "listUserRoles",
    "createOrganizationSpendAlert", "retrieveOrganizationSpendAlert", "modifyOrganizationSpendAlert",
    "deleteOrganizationSpendAlert", "listOrganizationSpendAlerts",
    "createProjectSpendAlert", "retrieveProjectSpendAlert", "modifyProjectSpendAlert", "deleteProjectSpendAlert",
    "listProjectSpendAlerts",
    "retrieveOrganizationSpendLimit", "modifyOrganizationSpendLimit", "deleteOrganizationSpendLimit",
    "retrieveProjectSpendLimit", "modifyProjectSpendLimit", "deleteProjectSpendLimit",
    "createWorkloadIdentityProvider", "retrieveWorkloadIdentityProvider", "modifyWorkloadIdentityProvider",
    "deleteWorkloadIdentityProvider", "listWorkloadIdentityProviders",
    "createFederationRule", "retrieveFederationRule", "modifyFederationRule", "deleteFederationRule",
    "listFederationRules",
)


def plain_operation(call: Any) -> dict[str, Any]:
    """Any plain admin operation: the admin check, then the resource its path names."""
    return plain.answer(call, admin_call(call))


HANDLERS = {operation_id: plain_operation for operation_id in PLAIN_OPERATIONS}
