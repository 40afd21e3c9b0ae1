"""Reads of voucher schemes (budget figures only; no enterprise data)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lanbai.access import policy

from .models import Scheme


def scheme_list(*, user: Any) -> QuerySet[Scheme]:
    """Schemes with budget, committed and remaining; staff only (READ_UNPUBLISHED)."""
    policy.require(user, policy.Action.READ_UNPUBLISHED, message="只有工作人员可以查看创新券方案")
    return Scheme.objects.all()
