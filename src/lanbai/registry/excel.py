"""Excel import and export of registries through the reporting validation engine.

Layout of a registry workbook (one sheet)::

    row 1   headings with units (营业收入（万元）…)
    row 2   field codes (hidden) — the machine-readable column map
    row 3…  one row per object

Reading uses :func:`lanbai.core.collection.engine.validate_table` with a :class:`FormSpec` per registry
(the same number parsing, GB 32100 credit-code check and :class:`Problem` type as reporting), then the
registry's own checks (known zone and park, rights, model validation).  A file is all or nothing: one
problem and nothing is written.  Every exported text cell is neutralised (= + - @ get a leading ').
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from lanbai.collection import services as collection_services
from lanbai.common.exceptions import ApplicationError, PermissionDeniedError, ValidationFailed
from lanbai.core.collection import neutralise
from lanbai.core.collection.engine import Table, validate_table
from lanbai.core.collection.forms import FormSpec
from lanbai.core.collection.problems import Problem, make_problem
from lanbai.plans.selectors import plan_current

from . import selectors, services
from .choices import IncubatorKind, Level, PlatformKind
from .models import Alliance, Incubator, RdPlatform

if TYPE_CHECKING:
    from lanbai.plans.models import OrgUnit

HEAD_ROW, CODE_ROW, DATA_ROW = 1, 2, 3
MAX_BYTES = 20_000_000

_COMMON = dict(
    issuing_body="兰白试验区省创新办", approval_no="登记管理", valid_until=dt.date(2099, 12, 31), version=1
)


def _nfkc(label: Any) -> str:
    """Choice labels as the engine compares them (it NFKC-normalises cell text: （） become ())."""
    return unicodedata.normalize("NFKC", str(label))


def _int(code: str, label: str, unit: str = "件") -> dict:
    return {"code": code, "label": label, "unit": unit, "type": "integer", "nature": "stock", "min": 0}


ENTERPRISE_FORM = FormSpec.model_validate(
    {
        **_COMMON,
        "code": "企业档案",
        "name": "兰白试验区企业登记档案",
        "level": "enterprise",
        "key": "credit_code",
        "fields": [
            {"code": "credit_code", "label": "统一社会信用代码", "type": "credit_code", "required": True},
            {
                "code": "enterprise_name",
                "label": "企业名称",
                "type": "text",
                "required": True,
                "max_length": 200,
            },
            {"code": "zone", "label": "园区代码", "type": "text", "required": True, "max_length": 64},
            {"code": "park", "label": "分园代码", "type": "text", "max_length": 64},
            {"code": "ownership", "label": "所有制", "type": "text", "max_length": 40},
            {"code": "main_business_kind", "label": "主营业务类型", "type": "text", "max_length": 40},
            {"code": "independent_legal_person", "label": "独立法人企业", "type": "bool"},
            {
                "code": "hightech_certificate_no",
                "label": "高新技术企业证书编号",
                "type": "text",
                "max_length": 40,
            },
            {"code": "hightech_valid_from", "label": "高企证书发证日期", "type": "date"},
            {"code": "hightech_valid_to", "label": "高企证书有效期至", "type": "date"},
            _int("invention_patents", "有效发明专利"),
            _int("valid_patents", "有效专利（全部）"),
            _int("new_drug_certificates", "新药证书"),
            _int("software_copyrights", "软件著作权登记"),
            _int("trademarks", "注册商标"),
            _int("plant_varieties", "植物新品种"),
            _int("origin_protections", "原产地保护产品"),
            {"code": "quality_certified", "label": "通过质量管理体系认证", "type": "bool"},
            {"code": "has_rd_institution", "label": "设有研发机构", "type": "bool"},
            _int("staff", "从业人员", "人"),
            _int("rd_staff", "研发人员", "人"),
            _int("rd_staff_senior_or_master", "高级职称或硕士以上研发人员", "人"),
        ],
        "rules": [
            {
                "code": "senior_le_rd",
                "expr": "rd_staff_senior_or_master <= rd_staff",
                "message_zh": "高级职称或硕士以上研发人员不能多于研发人员",
            },
            {"code": "rd_le_staff", "expr": "rd_staff <= staff", "message_zh": "研发人员不能多于从业人员"},
            {
                "code": "invention_le_patents",
                "expr": "invention_patents <= valid_patents",
                "message_zh": "有效发明专利不能多于有效专利",
            },
        ],
    }
)


def _choice(code: str, label: str, choices) -> dict:
    return {
        "code": code,
        "label": label,
        "type": "category",
        "required": True,
        "choices": [{"code": c.value, "label": _nfkc(c.label)} for c in choices],
    }


_TAIL = [
    {"code": "zone", "label": "园区代码", "type": "text", "max_length": 64},
    {"code": "park", "label": "分园代码", "type": "text", "max_length": 64},
    {"code": "industry", "label": "产业", "type": "text", "max_length": 60},
    {"code": "valid_from", "label": "认定/成立日期", "type": "date"},
    {"code": "valid_to", "label": "撤销/终止日期", "type": "date"},
]


def _registered_form(code: str, name: str, fields: list[dict]) -> FormSpec:
    """A sheet of registered objects (no credit code: level ``zone``, rows identified by name + zone)."""
    head = {"code": "name", "label": "名称", "type": "text", "required": True, "max_length": 200}
    return FormSpec.model_validate(
        {**_COMMON, "code": code, "name": name, "level": "zone", "fields": [head, *fields, *_TAIL]}
    )


PLATFORM_FORM = _registered_form(
    "研发平台",
    "兰白试验区研发平台登记",
    [
        _choice("kind", "类型", PlatformKind),
        _choice("level", "级别", Level),
        {"code": "host", "label": "依托单位", "type": "text", "max_length": 200},
    ],
)
INCUBATOR_FORM = _registered_form(
    "孵化载体",
    "兰白试验区孵化载体登记",
    [
        _choice("kind", "类型", IncubatorKind),
        _choice("level", "级别", Level),
        {
            "code": "area_m2",
            "label": "面积",
            "unit": "平方米",
            "type": "decimal",
            "nature": "stock",
            "min": 0,
        },
    ],
)
ALLIANCE_FORM = _registered_form(
    "产业技术创新战略联盟",
    "兰白试验区产业技术创新战略联盟登记",
    [
        {"code": "field_name", "label": "领域", "type": "text", "max_length": 100},
        {"code": "lead", "label": "牵头单位", "type": "text", "max_length": 200},
    ],
)
REGISTERED: dict[str, tuple[FormSpec, type]] = {
    "platforms": (PLATFORM_FORM, RdPlatform),
    "incubators": (INCUBATOR_FORM, Incubator),
    "alliances": (ALLIANCE_FORM, Alliance),
}

SHEETS: dict[str, FormSpec] = {"enterprises": ENTERPRISE_FORM, **{k: f for k, (f, _) in REGISTERED.items()}}
PROFILE_CODES = [
    f.code for f in ENTERPRISE_FORM.fields if f.code not in ("credit_code", "enterprise_name", "zone")
]


@dataclass
class RegistryImportResult:
    filename: str
    problems: list[Problem] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _problem(
    rule: str,
    zh: str,
    en: str,
    *,
    file: str,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    field_code: str | None = None,
    value: Any = None,
) -> Problem:
    """A registry-specific problem (rule codes ``registry.*``) in the reporting engine's Problem type."""
    where = (
        f"文件 {file}"
        + (f" 工作表 {sheet}" if sheet else "")
        + (f" 第 {row} 行" if row else "")
        + (f" {column} 列" if column else "")
    )
    shown = None if value is None else str(value)
    val = f"：值“{shown}”" if shown is not None else ""
    return Problem(
        file,
        sheet,
        row,
        column,
        field_code,
        rule,
        shown,
        f"{where}{val} — {zh} [{rule}]",
        f"file {file}, row {row}, column {column}{val} — {en} [{rule}]",
    )


# ------------------------------------------------------------------------------------------------
# export


def _unit_code(unit: Any) -> str:
    """The code of an org unit (the plans app's model, not imported here)."""
    return unit.code


def _rows(kind: str, *, user: Any) -> list[dict[str, Any]]:
    if kind == "enterprises":  # confidential (READ_CONFIDENTIAL): the enterprises ``user`` may read
        profiles = {p.enterprise_id: p for p in selectors.enterprise_profile_list(user=user)}
        rows = []
        for e in selectors.enterprise_list_readable(user=user):
            p = profiles.get(e.pk)
            row: dict[str, Any] = {"credit_code": e.credit_code, "enterprise_name": e.name, "zone": e.zone.code}
            for code in PROFILE_CODES:
                value = getattr(p, code, None) if p else None
                # a park (an org unit) by its code
                row[code] = _unit_code(value) if isinstance(value, models.Model) else value
            rows.append(row)
        return rows
    form, model = REGISTERED[kind]
    rows = []
    for obj in selectors.registry_entry_list(model).order_by("name"):
        row = {}
        for f in form.fields:
            value = getattr(obj, f.code)
            if f.type == "category":
                value = _nfkc(getattr(obj, f"get_{f.code}_display")())
            elif isinstance(value, models.Model):  # an org unit (zone, park)
                value = _unit_code(value)
            elif isinstance(value, Decimal):
                value = float(value)
            row[f.code] = value
        rows.append(row)
    return rows


def export_registry(kind: str, *, user: Any) -> bytes:
    """The registry ``kind`` (enterprises | platforms) as an xlsx in the import layout (cells neutralised).

    The enterprises sheet holds only the enterprises ``user`` may read (their figures are confidential).
    """
    form = SHEETS[kind]
    wb = Workbook()
    ws = wb.active
    ws.title = form.code
    ws.append([f.heading for f in form.fields])
    ws.append([f.code for f in form.fields])
    ws.row_dimensions[CODE_ROW].hidden = True
    for row in _rows(kind, user=user):
        values = []
        for f in form.fields:
            v = row.get(f.code)
            if isinstance(v, bool):
                v = "是" if v else "否"
            values.append(neutralise(v))
        ws.append(values)
    for i, f in enumerate(form.fields, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(10, len(f.heading) * 2)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------------------------------------
# import


def _read(
    form: FormSpec, data: bytes, filename: str
) -> tuple[dict[str, list[Any]], Table | None, list[Problem]]:
    if not data:
        return {}, None, [make_problem("file.empty", file=filename)]
    if len(data) > MAX_BYTES:
        return {}, None, [make_problem("file.too_large", file=filename, value=f"{len(data)} B")]
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - any failure to open is "not an xlsx"
        return {}, None, [make_problem("file.not_xlsx", file=filename)]
    if form.code not in wb.sheetnames:
        return (
            {},
            None,
            [
                make_problem(
                    "sheet.renamed",
                    file=filename,
                    value="、".join(wb.sheetnames),
                    detail_zh=f"应有工作表“{form.code}”",
                )
            ],
        )
    ws = wb[form.code]
    grid = list(ws.iter_rows(min_row=1))
    codes = [c.value for c in grid[CODE_ROW - 1]] if len(grid) >= CODE_ROW else []
    while codes and codes[-1] is None:
        codes.pop()
    if codes != form.field_codes:
        return (
            {},
            None,
            [
                make_problem(
                    "layout.columns_changed",
                    file=filename,
                    sheet=form.code,
                    row=CODE_ROW,
                    detail_zh="请使用本平台导出的表格，不要增删或移动列",
                )
            ],
        )
    columns: dict[str, list[Any]] = {c: [] for c in codes}
    rows: list[int] = []
    problems: list[Problem] = []
    letters = {c: get_column_letter(i + 1) for i, c in enumerate(codes)}
    for r, cells in enumerate(grid[DATA_ROW - 1 :], start=DATA_ROW):
        values = [cells[i].value if i < len(cells) else None for i in range(len(codes))]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        for i, c in enumerate(codes):
            if i < len(cells) and cells[i].data_type == "f":
                problems.append(
                    make_problem(
                        "cell.formula",
                        file=filename,
                        sheet=form.code,
                        row=r,
                        column=letters[c],
                        field=c,
                        value=values[i],
                    )
                )
                values[i] = None
            columns[c].append(values[i])
        rows.append(r)
    if not rows:
        return {}, None, [make_problem("file.no_data", file=filename)]
    return columns, Table(file=filename, sheet=form.code, rows=rows, letters=letters), problems


def import_registry(kind: str, data: bytes, *, filename: str, user) -> RegistryImportResult:
    """Import a filled registry workbook (``kind`` a key of :data:`SHEETS`); all or nothing.

    Enterprises are identified by credit code (new ones are registered), other objects by name and zone.
    ``user`` None is the command line.
    """
    form = SHEETS[kind]
    result = RegistryImportResult(filename)
    columns, table, problems = _read(form, data, filename)
    if table is None:
        result.problems = problems
        return result
    records, found = validate_table(form, columns, table)
    result.problems = problems + list(found)
    plan = plan_current()
    units = selectors.plan_units_by_code(plan)

    def unit(rec: dict, code_field: str, kinds: tuple[str, ...], row: int) -> OrgUnit | None:
        code = rec.get(code_field)
        if not code:
            return None
        u = units.get(code)
        if u is None or u.kind not in kinds:
            result.problems.append(
                _problem(
                    "registry.unit_unknown",
                    f"不是本规划的{'园区' if code_field == 'zone' else '分园'}代码",
                    f"not a {code_field} code of the plan",
                    file=filename,
                    sheet=form.code,
                    row=row,
                    column=(table.letters or {}).get(code_field),
                    field_code=code_field,
                    value=code,
                )
            )
        return u

    prepared = []
    for rec, row in zip(records, table.rows, strict=True):
        zone = unit(rec, "zone", ("zone",), row)
        park = unit(rec, "park", ("park",), row)
        prepared.append((rec, row, zone, park))
    if result.problems:
        return result
    try:
        with transaction.atomic():
            for rec, row, zone, park in prepared:
                try:
                    _apply(kind, rec, zone, park, user, result)
                except ApplicationError as exc:
                    result.problems.append(_error_problem(exc, form, table, row, filename))
            if result.problems:
                raise _Rollback
    except _Rollback:
        result.created = result.updated = 0
    return result


class _Rollback(Exception):
    pass


def _error_problem(
    exc: ApplicationError, form: FormSpec, table: Table, row: int, filename: str
) -> Problem:
    if isinstance(exc, PermissionDeniedError):
        return _problem(
            "registry.not_allowed", exc.message, "not allowed", file=filename, sheet=form.code, row=row
        )
    errors = exc.extra.get("fields") or {exc.extra.get("field", ""): [exc.message]}
    key = next(iter(errors))
    column = (table.letters or {}).get(key)
    return _problem(
        "registry.invalid",
        "；".join(str(m) for m in errors[key]),
        f"invalid {key}",
        file=filename,
        sheet=form.code,
        row=row,
        column=column,
        field_code=key or None,
    )


def _apply(
    kind: str, rec: dict, zone: OrgUnit | None, park: OrgUnit | None, user, result: RegistryImportResult
) -> None:
    if kind == "enterprises":
        if zone is None:  # the zone column is required: validate_table reported the row already
            raise ValidationFailed("缺少园区代码 / zone code missing", field="zone")
        ent = selectors.enterprise_find(rec["credit_code"])
        if ent is None:
            ent = collection_services.enterprise_register(
                user=user, zone=zone, credit_code=rec["credit_code"], name=rec["enterprise_name"], park=park
            )
            result.created += 1
        else:
            if ent.zone_id != zone.id:
                raise ValidationFailed(
                    f"企业登记在 {ent.zone.code}，不能在导入中改为 {zone.code} / "
                    "the zone cannot be changed by an import",
                    field="zone",
                )
            result.updated += 1
        data = {c: rec[c] for c in PROFILE_CODES if c != "park"}
        data["park"] = park
        data = {
            k: (
                "" if v is None and k in ("ownership", "main_business_kind", "hightech_certificate_no") else v
            )
            for k, v in data.items()
        }
        services.enterprise_profile_save(user=user, enterprise=ent, data=data)
        return
    form, model = REGISTERED[kind]
    values: dict[str, Any] = {}
    for f in form.fields:
        if f.code in ("zone", "park"):
            continue
        value = rec[f.code]
        if value is None and f.type == "text":
            value = ""  # text columns of the models are blank, not null
        values[f.code] = value
    values.update(zone=zone, park=park)
    existing = selectors.registry_entry_find(model, name=rec["name"], zone=zone)
    services.registry_entry_save(user=user, instance=existing or model(), data=values)
    if existing:
        result.updated += 1
    else:
        result.created += 1
