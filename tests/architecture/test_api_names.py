"""One API style (issue 12, the house): DRF `APIView` subclasses named `<Entity><Action>Api`, no two with
the same name anywhere, no ViewSets and no `@api_view` functions.  The classes are found by importing
every module under `lanbai.<app>.api` (pytest-django has set Django up; no database is touched)."""

from __future__ import annotations

import importlib
import pkgutil
from collections import defaultdict

from rest_framework.views import APIView
from rest_framework.viewsets import ViewSetMixin

# Apps that serve a JSON API (the same list as in test_house_modules.HOUSE).
API_PACKAGES = [
    "lanbai.plans.api",
    "lanbai.collection.api",
    "lanbai.monitoring.api",
    "lanbai.indices.api",
    "lanbai.registry.api",
    "lanbai.contracts.api",
    "lanbai.reports.api",
]


def api_modules():
    for name in API_PACKAGES:
        package = importlib.import_module(name)
        yield package
        for info in pkgutil.walk_packages(package.__path__, prefix=name + "."):
            yield importlib.import_module(info.name)


def api_classes() -> list[tuple[str, type]]:
    """(module, class) for every APIView subclass defined (not merely imported) in an api module."""
    found = []
    for module in api_modules():
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, APIView) and value.__module__ == module.__name__:
                found.append((module.__name__, value))
    return sorted(found, key=lambda item: (item[0], item[1].__name__))


def function_views() -> list[str]:
    """`@api_view` turns a function into a view whose `.cls` is a generated APIView subclass."""
    return sorted(
        f"{module.__name__}.{name}"
        for module in api_modules()
        for name, value in vars(module).items()
        if callable(value)
        and not isinstance(value, type)
        and isinstance(getattr(value, "cls", None), type)
        and issubclass(value.cls, APIView)
        and getattr(value, "__module__", None) == module.__name__
    )


def test_api_classes_are_found():
    assert len(api_classes()) >= 10


def test_no_two_api_classes_share_a_name():
    where = defaultdict(list)
    for module, cls in api_classes():
        where[cls.__name__].append(module)
    clashes = {name: modules for name, modules in where.items() if len(modules) > 1}
    assert clashes == {}, "API classes with the same name: " + "; ".join(
        f"{name} in {', '.join(modules)}" for name, modules in sorted(clashes.items())
    )


def test_api_classes_are_named_api_and_are_not_viewsets():
    # A private base (leading underscore) is never routed, so only routed classes need the suffix.
    misnamed = [
        f"{module}.{cls.__name__}"
        for module, cls in api_classes()
        if not cls.__name__.startswith("_") and not cls.__name__.endswith("Api")
    ]
    viewsets = [f"{module}.{cls.__name__}" for module, cls in api_classes() if issubclass(cls, ViewSetMixin)]
    assert (misnamed, viewsets) == ([], []), (
        "API views must be APIView subclasses named <Entity><Action>Api; misnamed: "
        f"{', '.join(misnamed) or '-'}; ViewSets: {', '.join(viewsets) or '-'}"
    )


def test_no_function_based_api_views():
    assert function_views() == [], "@api_view functions (write an APIView class): " + ", ".join(
        function_views()
    )
