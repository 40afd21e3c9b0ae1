"""Annexes 4–7 and 9: clusters, alliances, R&D institutions, candidate enterprises, support."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Code, Source, Strict

# 附件4 ------------------------------------------------------------------------------------------


class ClusterCounts(Strict):
    """Number of clusters per size band of 2020 output (附件4)."""

    thousand: int = 0  # 千亿级
    hundred: int = 0  # 百亿级
    fifty_to_hundred: int = 0  # 50-100亿级
    ten_to_fifty: int = 0  # 10-50亿级
    one_to_ten: int = 0  # 亿元级

    def total(self) -> int:
        return self.thousand + self.hundred + self.fifty_to_hundred + self.ten_to_fifty + self.one_to_ten


class StatedClusterCounts(Strict):
    """A 合计 row of 附件4 as written: a band the row leaves blank is None (not stated), never 0."""

    thousand: int | None = None  # 千亿级
    hundred: int | None = None  # 百亿级
    fifty_to_hundred: int | None = None  # 50-100亿级
    ten_to_fifty: int | None = None  # 10-50亿级
    one_to_ten: int | None = None  # 亿元级

    def total(self) -> int:
        """The sum of the bands the row states (a blank band adds nothing)."""
        return sum(v for v in self.model_dump().values() if v is not None)


class ClusterRow(Strict):
    """One row of 附件4: zone × category × industry."""

    zone: Code
    category: Literal["traditional", "emerging"]
    industry: str
    counts: ClusterCounts
    named_clusters: list[str] = Field(default_factory=list)  # names written in the 千亿/百亿 columns
    named_thousand: list[str] = Field(default_factory=list)  # the names of the 千亿级 column
    named_hundred: list[str] = Field(default_factory=list)  # the names of the 百亿级 column
    directions: list[str] = Field(default_factory=list)  # 重点方向
    parks: list[str] = Field(default_factory=list)  # 重点园区
    enterprises: list[str] = Field(default_factory=list)  # 重点企业
    chains: list[str] = Field(default_factory=list)  # 重点产业链条
    source: Source


class ClusterTotal(Strict):
    """A stated total of 附件4 (a zone's 合计 row, its 2015-2020合计, or the 4区总计)."""

    zone: Code  # a zone code, or the aggregate 4区合计
    counts: StatedClusterCounts | None = None
    total: int | None = None
    source: Source


# 附件5 ------------------------------------------------------------------------------------------


class AllianceGroup(Strict):
    """One industry line of 附件5: the stated number of alliances and the fields listed."""

    industry: str
    stated_count: int
    fields: list[str]
    text: str | None = None  # the line as written
    source: Source


# 附件6 ------------------------------------------------------------------------------------------


class RdColumn(Strict):
    code: Code
    name: str  # column header as written, e.g. 重点实验室（科技）


class RdRow(Strict):
    """One row of the 附件6 counts table (a field with its counts per kind of institution)."""

    field: str
    counts: dict[Code, int]  # column code -> count (empty cells omitted)
    stated_subtotal: int | None = None
    source: Source


class RdTotals(Strict):
    """The 小计 row and 总计 of 附件6."""

    column_subtotals: dict[Code, int]
    stated_total: int
    source: Source


# the named institutions of 附件6's second table, by field and by the table's five columns
RdListColumn = Literal["key_lab_eng_center", "collab_edu_lab", "ndrc", "miit", "other"]
RD_LIST_COLUMNS: dict[str, str] = {
    "key_lab_eng_center": "重点实验室、工程技术研究中心",
    "collab_edu_lab": "2011协同中心、重点实验室",
    "ndrc": "工程研究院、工程研究中心、工程实验室",
    "miit": "产业技术创新联盟、技术中心、工业设计中心",
    "other": "其它重点实验室和工程中心",
}


class RdInstitution(Strict):
    """One institution named in 附件6's list, exactly as written (host in brackets included)."""

    name: str = Field(min_length=1)
    field: str  # 领域 as the list writes it (化工 … 先进装备 … 现代服务业)
    category: Literal["traditional", "emerging"]  # 传统产业 / 战略性新兴产业
    column: RdListColumn
    note: str | None = None
    source: Source


# 附件7 ------------------------------------------------------------------------------------------


class CandidateEnterprise(Strict):
    """An enterprise of the first candidate list for innovative enterprises (附件7)."""

    seq: int
    name: str
    zone: Code | None  # None: 区域外战略性新兴产业攻坚行动骨干企业
    group: str | None = None  # the list heading where it is not a zone
    source: Source


class RecognitionCriterion(Strict):
    """One of the six recognition criteria of 附件7 with its thresholds as structured fields."""

    number: int
    text: str
    judgement: bool = False  # needs a reviewer's confirmation (cannot be decided from figures)
    parameters: dict[str, float | int | str | bool | list[str]] = Field(default_factory=dict)
    source: Source


# 附件9 ------------------------------------------------------------------------------------------


class SupportItem(Strict):
    """A support condition sought from the Ministry of S&T or Zhangjiang (附件9)."""

    area: str  # 计划支持 / 税收优惠 / 平台建设 …
    party: Literal["ministry", "zhangjiang"]
    text: str
    note: str | None = None
    source: Source
