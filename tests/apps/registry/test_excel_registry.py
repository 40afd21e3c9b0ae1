"""Excel export/import of registries: round trip, refusals with row/column/rule, all or nothing."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from lanbai.plans.models import OrgUnit
from lanbai.registry import excel, services
from lanbai.registry.models import EnterpriseProfile, RdPlatform


def _fill(kind: str, rows: list[list]) -> bytes:
    wb = load_workbook(io.BytesIO(excel.export_registry(kind, user=None)))
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _ent_row(code, name="甲公司", zone="lzxq", **kw):
    values = {c: None for c in excel.ENTERPRISE_FORM.field_codes}
    values.update(credit_code=code, enterprise_name=name, zone=zone, **kw)
    return [values[c] for c in excel.ENTERPRISE_FORM.field_codes]


def test_enterprise_import_creates_and_updates_then_exports_neutralised(reg_plan, codes):
    formula = _fill("enterprises", [_ent_row(codes(1), "=cmd|' /C calc'!A0")])
    refused = excel.import_registry("enterprises", formula, filename="f.xlsx", user=None)
    assert ("cell.formula", "B") in {(p.rule, p.column) for p in refused.problems}
    data = _fill(
        "enterprises",
        [
            _ent_row(
                codes(1),
                "'=cmd|' /C calc'!A0",
                valid_patents=3,
                invention_patents="1",
                quality_certified="是",
                rd_staff=12,
                staff=100,
                rd_staff_senior_or_master=2,
                hightech_valid_from=dt.datetime(2017, 1, 5),
            ),
        ],
    )
    result = excel.import_registry("enterprises", data, filename="e.xlsx", user=None)
    assert result.ok, [p.message_zh for p in result.problems]
    assert (result.created, result.updated) == (1, 0)
    p = EnterpriseProfile.objects.get(enterprise__credit_code=codes(1))
    assert (p.valid_patents, p.invention_patents, p.quality_certified, p.hightech_valid_from) == (
        3,
        1,
        True,
        dt.date(2017, 1, 5),
    )
    ws = load_workbook(io.BytesIO(excel.export_registry("enterprises", user=None))).active
    assert ws.cell(3, 2).value == "'=cmd|' /C calc'!A0"
    again = excel.import_registry(
        "enterprises", excel.export_registry("enterprises", user=None), filename="e2.xlsx", user=None
    )
    assert again.ok and (again.created, again.updated) == (0, 1)
    assert EnterpriseProfile.objects.get(pk=p.pk).enterprise.name == "=cmd|' /C calc'!A0"


def test_bad_rows_refuse_the_whole_file_with_row_column_rule(reg_plan, codes):
    good = codes(2)
    bad_check = good[:17] + ("0" if good[17] != "0" else "1")
    data = _fill(
        "enterprises",
        [
            _ent_row(good, "好企业"),
            _ent_row(bad_check, "坏代码"),
            _ent_row(codes(3), "单位后缀", valid_patents="3件"),
            _ent_row(codes(4), "园区不存在", zone="nowhere"),
            _ent_row(codes(5), "逻辑", rd_staff=5, rd_staff_senior_or_master=6),
        ],
    )
    result = excel.import_registry("enterprises", data, filename="bad.xlsx", user=None)
    got = {(p.row, p.column, p.rule) for p in result.problems}
    assert (4, "A", "credit_code.check") in got
    assert (5, excel_col("valid_patents"), "number.unit_suffix") in got
    assert (6, "C", "registry.unit_unknown") in got
    assert any(r == 7 and rule == "rule.cross_field" for r, _, rule in got)
    assert all("bad.xlsx" in p.message_zh for p in result.problems)
    assert EnterpriseProfile.objects.count() == 0  # nothing of the file was written


def excel_col(code: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(excel.ENTERPRISE_FORM.field_codes.index(code) + 1)


def test_platform_import_rights_and_file_refusals(reg_plan, make_user):
    reporter = make_user("by", "zone_reporter", "bygx")
    data = _fill(
        "platforms",
        [
            [
                "甲实验室",
                "重点实验室（科技）",
                "国家级",
                "兰州大学",
                "lzxq",
                None,
                "生物",
                dt.datetime(2016, 1, 1),
                None,
            ]
        ],
    )
    refused = excel.import_registry("platforms", data, filename="p.xlsx", user=reporter)
    assert [p.rule for p in refused.problems] == ["registry.not_allowed"], [
        p.message_zh for p in refused.problems
    ]
    assert RdPlatform.objects.count() == 0
    ok = excel.import_registry("platforms", data, filename="p.xlsx", user=make_user("sheng", "province"))
    assert ok.ok and RdPlatform.objects.get().kind == "key_lab_st"
    assert [
        p.rule
        for p in excel.import_registry("platforms", b"PK\x03\x04junk", filename="x.xlsx", user=None).problems
    ] == ["file.not_xlsx"]
    bad_kind = _fill("platforms", [["乙", "不存在的类型", "国家级", None, "lzxq", None, None, None, None]])
    assert [
        p.rule for p in excel.import_registry("platforms", bad_kind, filename="k.xlsx", user=None).problems
    ] == ["choice.invalid"]
    services.platform_save(
        user=None, data={"name": "@SUM(1)", "kind": "other", "zone": OrgUnit.objects.get(code="lzxq")}
    )
    ws = load_workbook(io.BytesIO(excel.export_registry("platforms", user=None))).active
    assert "'@SUM(1)" in [c.value for c in ws["A"]]


def test_incubators_and_alliances_round_trip(reg_plan):
    data = _fill(
        "incubators",
        [
            [
                "甲孵化器",
                "科技企业孵化器",
                "国家级",
                "1,234.5",
                "bygx",
                None,
                None,
                dt.datetime(2017, 6, 1),
                None,
            ]
        ],
    )
    result = excel.import_registry("incubators", data, filename="i.xlsx", user=None)
    assert result.ok, [p.message_zh for p in result.problems]
    from lanbai.registry.models import Alliance, Incubator

    inc = Incubator.objects.get()
    assert (inc.kind, inc.level, float(inc.area_m2), inc.zone.code) == (
        "incubator",
        "national",
        1234.5,
        "bygx",
    )
    again = excel.import_registry(
        "incubators", excel.export_registry("incubators", user=None), filename="i2.xlsx", user=None
    )
    assert again.ok and (again.created, again.updated) == (0, 1)
    bad = _fill("incubators", [["乙", "科技企业孵化器", "国家级", "约100", "bygx", None, None, None, None]])
    assert [
        p.rule for p in excel.import_registry("incubators", bad, filename="b.xlsx", user=None).problems
    ] == ["number.approximate"]
    services.registry_seed_from_plan(reg_plan)
    exported = excel.export_registry("alliances", user=None)
    assert excel.import_registry("alliances", exported, filename="a.xlsx", user=None).ok
    assert Alliance.objects.count() == 2  # matched by name and zone: updated, not duplicated
