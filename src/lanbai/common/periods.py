"""The one period type at the edges: :class:`lanbai.core.periods.Quarter` parsed once, from a URL, a
form, an API query or a CLI option, and passed down as a value.

* URLs: ``<quarter:period>`` (registered in ``lanbai.config.urls``) gives the view a ``Quarter``;
* Django forms: :class:`QuarterFormField`; DRF serializers: :class:`QuarterSerializerField`;
* the CLI: :func:`quarter_option` turns ``--period`` text into a ``Quarter`` with a clear error.
"""

from __future__ import annotations

from typing import Any

from django import forms
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lanbai.core.periods import Quarter

__all__ = ["Quarter", "QuarterConverter", "QuarterFormField", "QuarterSerializerField", "parse_quarter"]


def parse_quarter(value: Any) -> Quarter:
    """A ``Quarter`` from a ``Quarter`` or its text (``2018Q2``); ValueError naming the form otherwise."""
    return value if isinstance(value, Quarter) else Quarter.parse(value)


class QuarterConverter:
    """``<quarter:period>`` in URL patterns: ``2018Q2`` ⇄ ``Quarter(2018, 2)``."""

    regex = r"\d{4}Q[1-4]"  # PERIOD_PATTERN without anchors and groups

    def to_python(self, value: str) -> Quarter:
        return Quarter.parse(value)

    def to_url(self, value: Quarter | str) -> str:
        return str(parse_quarter(value))


class QuarterFormField(forms.CharField):
    """A form field whose cleaned value is a ``Quarter`` (entered as ``2018Q2``)."""

    default_error_messages = {"invalid": "报告期格式错误，应为如 2018Q2 / a period looks like 2018Q2"}

    # the text widget of a CharField, a Quarter as the cleaned value (CharField.to_python says str)
    def to_python(self, value: Any) -> Quarter | None:  # type: ignore[override]
        text = super().to_python(value)
        if text is None or text in self.empty_values:
            return None
        try:
            return Quarter.parse(text)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


@extend_schema_field({"type": "string", "pattern": r"^\d{4}Q[1-4]$", "example": "2018Q2"})
class QuarterSerializerField(serializers.Field):
    """A DRF field: ``"2018Q2"`` in, ``Quarter`` to the view, ``"2018Q2"`` out."""

    default_error_messages = {"invalid": "报告期格式错误，应为如 2018Q2 / a period looks like 2018Q2"}

    def to_internal_value(self, data: Any) -> Quarter:
        try:
            return Quarter.parse(data)
        except (ValueError, TypeError):
            self.fail("invalid")
            raise  # unreachable: fail() raises

    def to_representation(self, value: Any) -> str:
        return str(value)
