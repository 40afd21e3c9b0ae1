"""A user's role and the part of the organisation tree it covers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Role


class UserScope(models.Model):
    """A user's role and the part of the organisation tree it covers (None: the whole tree)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scopes")
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    org_unit = models.ForeignKey(
        "plans.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("园区、市或企业；省创新办为空"),
    )
    # 第三方评估 assigned to a plan measure (issue 16 item 5): the scope is that measure, not a subtree
    # (``org_unit`` is then empty); only the evaluation app's assignments create such rows.
    measure = models.ForeignKey(
        "execution.Measure",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("第三方评估受托评估的举措"),
    )

    class Meta:
        # the table predates this app (it was created by collection 0001); moved without copying
        db_table = "collection_userscope"
        ordering = ["user", "role"]
        verbose_name = _("用户权限范围")
        verbose_name_plural = _("用户权限范围")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "org_unit", "measure"], name="userscope_unique")
        ]

    def __str__(self) -> str:
        where = self.org_unit or (f"举措 {self.measure_id}" if self.measure_id else "全部")
        return f"{self.user} · {self.get_role_display()} · {where}"
