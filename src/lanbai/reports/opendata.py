"""Open-data files (CSV, XLSX, JSON) and the DCAT catalogue (JSON-LD) of the published values."""

from __future__ import annotations

import csv
import io
import json

from lanbai.core.collection.excel import neutralise

from .selectors import COLUMN_NAMES, COLUMNS

LICENSE = "https://creativecommons.org/licenses/by/4.0/"
PUBLISHER = "甘肃省兰白科技创新改革试验区创新办"
MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "pdf": "application/pdf",
    "html": "text/html",
}


def to_csv(rows: list[dict]) -> bytes:
    """UTF-8 CSV with a BOM (Excel opens it as UTF-8); text cells neutralised against formula injection."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMN_NAMES)
    for r in rows:
        w.writerow(["" if r.get(c) is None else neutralise(r.get(c)) for c in COLUMN_NAMES])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(rows: list[dict]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "data"
    ws.append(COLUMN_NAMES)
    for r in rows:
        ws.append([neutralise(r.get(c)) for c in COLUMN_NAMES])
    dic = wb.create_sheet("dictionary")
    dic.append(["column", "type", "unit", "description"])
    for c in COLUMNS:
        dic.append([neutralise(x) for x in c])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_json(rows: list[dict]) -> bytes:
    return json.dumps({"columns": COLUMN_NAMES, "rows": rows}, ensure_ascii=False).encode("utf-8")


def dcat_catalog(*, base: str, releases, modified, values_urls: dict[str, str]) -> dict:
    """A DCAT-AP style catalogue: one dataset for the indicator values, one per published release."""
    pub = {"@type": "foaf:Organization", "foaf:name": PUBLISHER}

    def dist(url: str, fmt: str, title: str, issued=None) -> dict:
        d = {
            "@type": "dcat:Distribution",
            "dct:title": title,
            "dcat:downloadURL": {"@id": url},
            "dcat:accessURL": {"@id": url},
            "dcat:mediaType": MEDIA_TYPES.get(fmt, fmt),
            "dct:format": fmt.upper(),
            "dct:license": {"@id": LICENSE},
        }
        if issued:
            d["dct:issued"] = issued
        return d

    mod = modified.isoformat() if modified else None
    datasets = [
        {
            "@type": "dcat:Dataset",
            "@id": f"{base}/reports/open-data/",
            "dct:identifier": "lanbai-indicator-values",
            "dct:title": "兰白试验区主要指标监测数据 / Lanbai pilot zone indicator values",
            "dct:description": "已发布的各单位各报告期指标值、同比增长、规划目标、路径预期值与状态。",
            "dct:publisher": pub,
            "dct:license": {"@id": LICENSE},
            "dct:modified": mod,
            "dct:issued": mod,
            "dcat:keyword": ["科技创新", "监测", "兰白试验区"],
            "dct:language": "zh",
            "dcat:landingPage": {"@id": f"{base}/reports/open-data/"},
            "dct:conformsTo": {"@id": f"{base}/reports/open-data/dictionary/"},
            "dcat:distribution": [
                dist(url, fmt, f"指标数据（{fmt.upper()}）", mod) for fmt, url in values_urls.items()
            ],
        }
    ]
    for rel in releases:
        issued = rel.issued_at.isoformat() if rel.issued_at else None
        url = f"{base}/reports/{rel.pk}/"
        ds = {
            "@type": "dcat:Dataset",
            "@id": url,
            "dct:identifier": rel.number,
            "dct:title": rel.title,
            "dct:publisher": pub,
            "dct:license": {"@id": LICENSE},
            "dct:issued": issued,
            "dct:modified": rel.updated_at.isoformat(),
            "dcat:landingPage": {"@id": url},
            "dcat:distribution": [
                dist(f"{url}file.{f}", f, f"{rel.number}（{f.upper()}）", issued)
                for f in ("pdf", "xlsx", "html")
            ],
        }
        if rel.supersedes_id:
            ds["dct:replaces"] = {"@id": f"{base}/reports/{rel.supersedes_id}/"}
        datasets.append(ds)
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
        },
        "@type": "dcat:Catalog",
        "@id": f"{base}/reports/catalog.jsonld",
        "dct:title": "兰白试验区开放数据目录 / Lanbai open data catalogue",
        "dct:publisher": pub,
        "dct:license": {"@id": LICENSE},
        "dct:modified": mod,
        "dct:language": "zh",
        "dcat:dataset": datasets,
    }
