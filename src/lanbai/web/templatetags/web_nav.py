"""Navigation links to the pages of other apps, shown only when those apps provide them."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, get_urlconf, resolve, reverse
from django.utils.translation import gettext_lazy as _

from lanbai.access.policy import page_allowed

register = template.Library()

# (URL name, label, public): apps grow capability by capability; a missing page is simply not linked.
# Anonymous visitors are shown only the public pages (the others would send them to the login page);
# a signed-in user is shown a page when the view's own rule lets the user in (access.policy.page_rule,
# asked through page_allowed: the rule lives on the view, never in this list).
NAV = [
    ("development-index", _("发展指数"), True),
    ("plan-data", _("规划数据"), True),
    ("collection:upload", _("上传报表"), False),
    ("collection:queue", _("审核队列"), False),
    ("collection:completeness", _("报送情况"), False),
    ("reports:index", _("发布"), True),
    ("reports:open-data", _("开放数据"), True),
    ("registry:index", _("登记管理"), False),
    ("contracts:list", _("技术合同"), False),
    ("assessment:list", _("目标责任制考核"), False),
    ("pools:project-list", _("储备项目与人才"), False),
    ("evaluation:overview", _("第三方评估"), False),
    ("execution:list", _("规划举措"), False),
    ("execution:public", _("举措进展公开"), True),
    ("instruments:list", _("大型科研仪器"), True),
    ("vouchers:queue", _("创新券"), False),
    ("vouchers:notice", _("创新券公示"), True),
    ("survey:index", _("创新调查"), False),
]


@functools.cache
def _hrefs(urlconf: str) -> tuple[tuple[str, object, bool, Callable], ...]:
    """(href, label, public, the view serving href) of the NAV pages that exist in ``urlconf``."""
    out = []
    for name, label, public in NAV:
        try:
            href = reverse(name, urlconf=urlconf)
        except NoReverseMatch:
            continue
        out.append((href, label, public, resolve(href, urlconf=urlconf).func))
    return tuple(out)


@register.simple_tag(takes_context=True)
def nav_links(context) -> list[tuple[str, object]]:
    """[(href, label)] for the pages that exist (resolved once per URL configuration) and that the
    visitor can open: staff pages only for signed-in users, and only those whose view's rule
    (:func:`lanbai.access.policy.page_allowed`) lets the user in."""
    user = getattr(context.get("request"), "user", None)
    signed_in = bool(getattr(user, "is_authenticated", False))
    return [
        (href, label)
        for href, label, public, view in _hrefs(get_urlconf() or settings.ROOT_URLCONF)
        if (public or signed_in) and page_allowed(view, user)
    ]


@register.filter
def status_words(status: str | None) -> str:
    """A monitoring status (达标 / 正常 / 预警 / 严重滞后 / 无法评估 / 无目标) in the page's language."""
    from django.utils.translation import get_language

    from lanbai.core.progress.assess import STATUS_EN

    if not status or not (get_language() or "").startswith("en"):
        return status or ""
    return {**STATUS_EN, "无目标": "no target"}.get(status, status)


@register.filter
def num(value, digits: int = 2) -> str:
    """A figure for display: thousands separators, at most ``digits`` decimals, "—" for no value."""
    try:
        f = float(value)
    except (TypeError, ValueError):
        return "—"
    if f != f:
        return "—"
    if 0 < abs(f) < 10 ** -int(digits):  # a small figure keeps three significant digits, never "0",
        decimals = min(12, 2 - math.floor(math.log10(abs(f))))  # and never an exponent (2.8e-05)
        return f"{f:.{decimals}f}".rstrip("0").rstrip(".")
    text = f"{f:,.{int(digits)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
