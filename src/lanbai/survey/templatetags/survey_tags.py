"""The survey's part of other apps' pages: the 工作台's questionnaires to fill (no Python import of the survey
by the collection app: the workbench template loads this tag)."""

from __future__ import annotations

from django import template

from lanbai.access.policy import Action, can

from .. import selectors

register = template.Library()


@register.inclusion_tag("survey/_workbench.html", takes_context=True)
def survey_workbench(context) -> dict:
    """The questionnaires the user fills (enterprise, zone staff) and, for staff, the latest round's response."""
    user = context["request"].user
    latest = selectors.round_years()[:1]
    return {
        "units": [u for u in selectors.units_to_answer(user) if u["state"] != "submitted"],
        "staff_year": latest[0] if latest and can(user, Action.READ_UNPUBLISHED) else None,
    }
