"""Every app has the house's modules (issue 12): `models` (package or module), `services.py` for its
writes, `selectors.py` for its reads, `admin.py` where it has models, `api/` (with `api/urls.py`) where it
serves endpoints, `views.py`, `urls.py` and `templates/<app>/` where it serves pages, and its tests in
`tests/apps/<app>/`.  What each app serves is written down here as data: adding an app means adding
a line, and the test then says what the new app still lacks."""

from __future__ import annotations

from pathlib import Path

MODELS = "models"
SERVICES = "services.py"
SELECTORS = "selectors.py"
ADMIN = "admin.py"
API = "api/"
API_URLS = "api/urls.py"
VIEWS = "views.py"
URLS = "urls.py"
TEMPLATES = "templates/<app>/"
TESTS = "tests/apps/<app>/"

OWNS_DATA = {MODELS, SERVICES, SELECTORS, ADMIN}
SERVES_ENDPOINTS = {API, API_URLS}
SERVES_PAGES = {VIEWS, URLS, TEMPLATES}

# app -> modules it must have.  `common` is the shared kernel (audit trail, errors, periods, base
# models): its write helper is `audit()`, and it serves no pages of its own, so only models/admin.
HOUSE: dict[str, set[str]] = {
    "common": {MODELS, ADMIN},
    "plans": OWNS_DATA | SERVES_ENDPOINTS | {TESTS},
    "access": OWNS_DATA | {TESTS},
    "collection": OWNS_DATA | SERVES_ENDPOINTS | SERVES_PAGES | {TESTS},
    # monitoring computes from collection's data: it reads (selectors) and stores nothing of its own
    "monitoring": {SELECTORS} | SERVES_ENDPOINTS | SERVES_PAGES | {TESTS},
    "indices": OWNS_DATA | SERVES_ENDPOINTS | {TESTS},
    "registry": OWNS_DATA | SERVES_ENDPOINTS | SERVES_PAGES | {TESTS},
    # plan execution (issue 16): measures, their units, half-year progress reports
    "execution": OWNS_DATA | SERVES_ENDPOINTS | SERVES_PAGES | {TESTS},
    # the annual assessment (issue 16 item 4): scheme versions, runs, scores with their evidence
    "assessment": OWNS_DATA | SERVES_ENDPOINTS | SERVES_PAGES | {TESTS},
    # third-party evaluation (issue 16 item 5): organisations, assignments (driving evaluator scopes),
    # conflicts, the scheme, scores and reports; the overview / workspace pages and the API
    "evaluation": OWNS_DATA | SERVES_ENDPOINTS | SERVES_PAGES | {TESTS},
    "contracts": OWNS_DATA | SERVES_ENDPOINTS | SERVES_PAGES | {TESTS},
    # 创新券 (issue 18 item 2): schemes, applications, vouchers, uses, redemptions; pages and API
    "vouchers": OWNS_DATA | SERVES_ENDPOINTS | SERVES_PAGES | {TESTS},
    # 大型科研仪器开放共享 (issue 18 item 3): register, bookings, usage, catalogue pages and API
    "instruments": OWNS_DATA | SERVES_ENDPOINTS | SERVES_PAGES | {TESTS},
    "reports": OWNS_DATA | SERVES_ENDPOINTS | SERVES_PAGES | {TESTS},
    # 储备项目库 and 人才库 (issue 18 item 4): reserve projects with stages, talents held with consent
    "pools": OWNS_DATA | SERVES_ENDPOINTS | SERVES_PAGES | {TESTS},
    # 创新调查 (issue 17 items 6-8): rounds, drawn samples, responses, estimates; a staff page
    "survey": OWNS_DATA | SERVES_PAGES | {TESTS},
    # the home page and dashboard: pages only.  No selectors.py: web owns no data, and every read it
    # makes goes through the selectors of the apps that own the data (monitoring, plans, indices);
    # web/dashboard.py only caches and shapes those results for the templates.
    "web": SERVES_PAGES | {TESTS},
}

# Packages under src/lanbai that are not Django apps.
NOT_APPS = {"core", "cli", "config"}


def has(src: Path, app: str, module: str) -> bool:
    root = src / app
    if module == MODELS:
        return (root / "models.py").is_file() or (root / "models" / "__init__.py").is_file()
    if module == API:
        return (root / "api" / "__init__.py").is_file()
    if module == TEMPLATES:
        return (root / "templates" / app).is_dir()
    if module == TESTS:
        return (src.parents[1] / "tests" / "apps" / app).is_dir()
    return (root / module).is_file()


def test_every_app_is_described(src):
    apps = {p.parent.name for p in src.glob("*/apps.py")}
    packages = {p.parent.name for p in src.glob("*/__init__.py")}
    assert apps == set(HOUSE), "add the app to HOUSE (or remove a stale entry)"
    assert packages - apps == NOT_APPS


def test_every_app_has_the_house_modules(src):
    missing = sorted(
        f"{app}: {module.replace('<app>', app)}"
        for app, modules in HOUSE.items()
        for module in modules
        if not has(src, app, module)
    )
    assert missing == [], "apps lack house modules:\n" + "\n".join(missing)


def test_models_come_with_admin(src):
    # an app with models but no admin would be invisible to the staff who correct data by hand
    lacking = sorted(app for app in HOUSE if has(src, app, MODELS) and not has(src, app, ADMIN))
    assert lacking == []
