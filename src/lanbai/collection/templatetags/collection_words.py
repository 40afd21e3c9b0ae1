"""Words for codes on the collection pages: a problem's rule, a form field, a message in the page's language.

A rule code (``rule.cross_field``, ``period.locked``) is a contract with the API and the docs, not
something a reporter reads: pages show its description from the catalogues (the engine's
:data:`lanbai.core.collection.RULES`, the database's :data:`lanbai.collection.intake.results.APP_RULES`)
in the language of the page, and keep the code in a ``title`` attribute.
"""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from lanbai.core.collection import RULES
from lanbai.core.collection.problems import without_code

from ..calendar import shipped_forms
from ..intake.results import APP_RULES

register = template.Library()


def _english() -> bool:
    return (get_language() or "zh-hans").startswith("en")


@register.filter
def rule_label(code: str | None) -> str:
    """The rule's short description in the page's language (the code itself for an unknown rule)."""
    if not code:
        return ""
    words = RULES.get(code) or APP_RULES.get(code)
    if words is None:
        return code
    return words[1] if _english() else words[0]


@register.filter
def field_label(code: str | None, form_code: str | None = None) -> str:
    """The form field's label (``gdp`` → 地区生产总值) from the form data; the code if it is not a field."""
    if not code:
        return ""
    specs = shipped_forms()
    candidates = [specs[form_code]] if form_code in specs else list(specs.values())
    for spec in candidates:
        for f in spec.fields:
            if f.code == code:
                return f.label
    return code


@register.filter
def message(obj) -> str:
    """``message_en`` on English pages (when there is one), else ``message_zh``; without the rule code."""
    zh = getattr(obj, "message_zh", "") or ""
    en = getattr(obj, "message_en", "") or ""
    return without_code(en if _english() and en else zh, getattr(obj, "rule", None))
