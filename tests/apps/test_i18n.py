"""Internationalisation: Chinese is the default UI language, English is complete and switchable.

The msgids are the Chinese UI strings; the single project-wide catalogue is
``src/lanbai/locale/en/LC_MESSAGES/django.po`` (compiled to ``django.mo``, committed).
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

import lanbai

PACKAGE_DIR = Path(lanbai.__file__).resolve().parent
LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
PO_PATH = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.mo"

# --------------------------------------------------------------------------------------------------
# A minimal .po reader (no third-party dependency): enough for Django's makemessages output.


def _unquote(token: str) -> str:
    """Decode one C-style quoted .po string token."""
    body = token.strip()
    if not (body.startswith('"') and body.endswith('"')):
        raise ValueError(f"not a quoted .po string: {token!r}")
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), "\\" + m.group(1)), body[1:-1])


def parse_po(text: str) -> list[dict]:
    """Entries of a .po file: msgid, msgstr ("" if any plural form is empty), flags, obsolete, line."""
    entries: list[dict] = []
    line_no = 1
    for block in re.split(r"\n[ \t]*\n", text):
        first_line, line_no = line_no, line_no + block.count("\n") + 2
        fields: dict[str, str] = {}
        flags: set[str] = set()
        obsolete = False
        keyword = None
        for line in block.splitlines():
            if line.startswith("#~"):
                obsolete, line = True, line[2:].strip()
            if line.startswith("#,"):
                flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith('"') and keyword:
                fields[keyword] += _unquote(line)
            else:
                keyword, _sep, value = line.partition(" ")
                fields[keyword] = _unquote(value)
        if not fields:
            continue
        msgstrs = [value for key, value in fields.items() if key.startswith("msgstr")]
        msgstr = "" if not msgstrs or not all(msgstrs) else msgstrs[0]
        entries.append(
            {
                "msgid": fields.get("msgid", ""),
                "msgstr": msgstr,
                "flags": flags,
                "obsolete": obsolete,
                "line": first_line,
            }
        )
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[dict]:
    assert PO_PATH.is_file(), f"missing catalogue {PO_PATH}; run makemessages (docs/i18n.md)"
    return [e for e in parse_po(PO_PATH.read_text(encoding="utf-8")) if not e["obsolete"]]


@pytest.fixture(scope="module")
def messages(po_entries) -> dict[str, str]:
    return {e["msgid"]: e["msgstr"] for e in po_entries if e["msgid"]}


def test_po_parser_reads_multiline_and_flags():
    text = (
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.html:1\n#, fuzzy, python-format\nmsgid ""\n"共 %(n)s "\n"条"\nmsgstr "%(n)s \\"rows\\""\n\n'
        'msgid "空"\nmsgstr ""\n\n#~ msgid "旧"\n#~ msgstr "old"\n'
    )
    entries = parse_po(text)
    assert [e["msgid"] for e in entries] == ["", "共 %(n)s 条", "空", "旧"]
    assert entries[1]["msgstr"] == '%(n)s "rows"'
    assert entries[1]["flags"] == {"fuzzy", "python-format"}
    assert entries[2]["msgstr"] == ""
    assert entries[3]["obsolete"]


def test_po_parser_treats_an_empty_plural_form_as_untranslated():
    text = 'msgid "%(n)s 份"\nmsgid_plural "%(n)s 份"\nmsgstr[0] "%(n)s form"\nmsgstr[1] ""\n'
    assert parse_po(text)[0]["msgstr"] == ""
    assert parse_po(text.replace('msgstr[1] ""', 'msgstr[1] "%(n)s forms"'))[0]["msgstr"] == "%(n)s form"


# --------------------------------------------------------------------------------------------------
# The catalogue itself.


def test_catalogue_is_the_single_project_wide_one():
    assert Path(settings.LOCALE_PATHS[0]).resolve() == PACKAGE_DIR / "locale"
    assert PO_PATH.is_file()
    assert MO_PATH.is_file(), "compiled catalogue missing: run compilemessages and commit django.mo"


def test_catalogue_has_no_untranslated_entries(po_entries):
    untranslated = [f"line {e['line']}: {e['msgid']!r}" for e in po_entries if e["msgid"] and not e["msgstr"]]
    assert not untranslated, "untranslated msgids:\n" + "\n".join(untranslated)


def test_catalogue_has_no_fuzzy_entries(po_entries):
    fuzzy = [f"line {e['line']}: {e['msgid']!r}" for e in po_entries if "fuzzy" in e["flags"]]
    assert not fuzzy, "fuzzy entries (review them and drop the flag):\n" + "\n".join(fuzzy)


def test_catalogue_header_declares_english_utf8(po_entries):
    header = next(e for e in po_entries if e["msgid"] == "")
    assert "Language: en\n" in header["msgstr"]
    assert "charset=UTF-8" in header["msgstr"]


def test_translations_keep_placeholders(po_entries):
    placeholder = re.compile(r"%\([a-z_]+\)[sd]|%%|\{[a-z_]*\}")
    wrong = [
        e["msgid"]
        for e in po_entries
        if e["msgid"] and sorted(placeholder.findall(e["msgid"])) != sorted(placeholder.findall(e["msgstr"]))
    ]
    assert not wrong, f"placeholders differ between msgid and msgstr: {wrong}"


def test_translations_are_english(po_entries):
    """Every msgstr is English (no CJK), except the language's own name in the language menu."""
    own_names = {"简体中文"}
    cjk = re.compile(r"[\u3400-\u9fff]")
    chinese = [e["msgid"] for e in po_entries if e["msgid"] not in own_names and cjk.search(e["msgstr"])]
    assert not chinese, f"msgstr still contains Chinese: {chinese}"


def test_compiled_catalogue_matches_po(messages):
    """django.mo is compiled from the current django.po (re-run compilemessages after editing)."""
    with MO_PATH.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    catalog = {k: v for k, v in compiled._catalog.items() if k}  # noqa: SLF001 - stdlib has no public accessor
    expected = {k: v for k, v in messages.items() if k}
    missing = sorted(set(expected) - set(catalog))
    assert not missing, f"not in django.mo (stale): {missing[:20]}"
    differing = sorted(k for k in expected if catalog[k] != expected[k])
    assert not differing, f"django.mo differs from django.po (stale): {differing[:20]}"


# --------------------------------------------------------------------------------------------------
# Every msgid marked in the source is in the catalogue (catches strings added since makemessages).

_TRANS_TAG = re.compile(r"""\{%\s*(?:trans|translate)\s+(?:"([^"]*)"|'([^']*)')""")
_TEMPLATE_UNDERSCORE = re.compile(r"""_\((?:"([^"]*)"|'([^']*)')\)""")
_GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "gettext_noop"}
_SKIPPED_PARTS = {"core", "migrations", "locale", "__pycache__"}


def _marked_msgids() -> dict[str, str]:
    """msgid -> first place it is marked, from templates and Python modules of the Django apps."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE_DIR.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for regex in (_TRANS_TAG, _TEMPLATE_UNDERSCORE):
            for m in regex.finditer(text):
                msgid = (m.group(1) if m.group(1) is not None else m.group(2)).replace("%", "%%")
                found.setdefault(msgid, str(path.relative_to(PACKAGE_DIR)))
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        if _SKIPPED_PARTS & set(path.relative_to(PACKAGE_DIR).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else ""
            )
            if name not in _GETTEXT_NAMES or not node.args:
                continue
            arg = node.args[1] if name.startswith("pgettext") and len(node.args) > 1 else node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.setdefault(arg.value, f"{path.relative_to(PACKAGE_DIR)}:{node.lineno}")
    return found


def test_every_marked_string_is_in_the_catalogue(messages):
    marked = _marked_msgids()
    assert "首页" in marked and "企业" in marked  # the scanner sees templates and Python code
    missing = sorted(f"{where}: {msgid!r}" for msgid, where in marked.items() if msgid not in messages)
    assert not missing, (
        "marked for translation but not in django.po (re-run makemessages, translate):\n" + "\n".join(missing)
    )


# --------------------------------------------------------------------------------------------------
# Pages: Chinese by default, English when chosen.

ENGLISH_BASE = ["Home", "Log in", "Skip to content", "Main navigation", "Language"]
CHINESE_BASE = ["首页", "登录", "跳到正文", "主导航", "语言"]


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def _choose_english(client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


@pytest.mark.django_db
def test_home_is_chinese_by_default(client, mini_plan):
    html = _text(client.get("/"))
    assert '<html lang="zh-hans">' in html
    for label in [*CHINESE_BASE, "主要发展指标（专栏1）", "规划基期与目标"]:
        assert label in html
    for label in ["Home", "Log in", "Main development indicators"]:
        assert label not in html


@pytest.mark.django_db
def test_home_in_english_after_switching_language(client, mini_plan):
    _choose_english(client)
    html = _text(client.get("/"))
    assert '<html lang="en">' in html
    english = [
        *ENGLISH_BASE,
        "Lanbai Pilot Zone Monitoring and Evaluation Platform",
        "Main development indicators (Box 1)",
        "Plan baseline and targets",
        "Baseline",
        "Target",
        "Data source: statistical forms reported by the zones and approved",
    ]
    for label in english:
        assert label in html, label
    for label in [*CHINESE_BASE, "主要发展指标", "规划基期与目标", "跳到正文", "数据来源："]:
        assert label not in html, label


@pytest.mark.django_db
def test_home_in_english_from_accept_language(client, mini_plan):
    html = _text(client.get("/", headers={"accept-language": "en-US,en;q=0.9"}))
    assert '<html lang="en">' in html
    assert "Main development indicators (Box 1)" in html
    assert "首页" not in html


@pytest.mark.django_db
def test_language_menu_offers_both_languages_and_keeps_the_page(client, mini_plan):
    _choose_english(client)
    html = _text(client.get("/"))
    assert '<option value="en" selected>English</option>' in html
    assert '<option value="zh-hans">简体中文</option>' in html
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/accounts/login/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert "用户名" in _text(client.get("/accounts/login/"))


@pytest.mark.django_db
def test_login_page_chinese_by_default(client):
    html = _text(client.get("/accounts/login/"))
    for label in ["用户名", "密码", "登录"]:
        assert label in html
    assert "Password" not in html


@pytest.mark.django_db
def test_login_page_in_english(client):
    _choose_english(client)
    html = _text(client.get("/accounts/login/"))
    for label in ["User name", "Password", "Log in"]:
        assert label in html
    for label in ["用户名", "密码", "登录"]:
        assert label not in html


@pytest.mark.django_db
def test_login_error_in_english(client):
    _choose_english(client)
    html = _text(client.post("/accounts/login/", {"username": "nobody", "password": "wrong"}))
    assert "Wrong user name or password." in html
    assert "用户名或密码错误" not in html


@pytest.mark.django_db
def test_model_choice_labels_follow_the_active_language():
    from django.utils import translation

    from lanbai.access.choices import Role
    from lanbai.collection.choices import Status

    with translation.override("en"):
        assert str(Role.PROVINCE.label) == "Provincial Innovation Office"
        assert str(Status.RETURNED.label) == "Returned"
    with translation.override("zh-hans"):
        assert str(Role.PROVINCE.label) == "省创新办"
