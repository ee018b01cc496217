"""The published description of the metrics: their definitions (versioned) and the table's schema."""

import hashlib
import json
from typing import Any

from .. import __version__, schema
from ..paths import SCHEMAS
from .grid import CATEGORIES
from .registry import FLAGS, REGISTRY, registry_as_json

SCHEMA_PATH = SCHEMAS / "metrics.schema.json"

UNIT_LABELS: dict[str, dict[str, str]] = {
    "cases": {"ja": "件", "en": "cases"},
    "share": {"ja": "割合（0〜1）", "en": "share (0 to 1)"},
    "days": {"ja": "日（暦日）", "en": "calendar days"},
    "business_days": {"ja": "営業日", "en": "business days"},
    "per_10k_residents": {"ja": "件／人口1万人", "en": "per 10,000 residents"},
    "per_100km_road": {"ja": "件／道路100km", "en": "per 100 km of road"},
    "per_civil_engineer": {"ja": "件／土木技師1人", "en": "per civil engineer"},
    "JPY": {"ja": "円", "en": "yen"},
    "JPY_per_resident": {"ja": "円／人", "en": "yen per resident"},
    "JPY_per_km": {"ja": "円／km", "en": "yen per km"},
    "contracts": {"ja": "件（契約）", "en": "contracts"},
    "contractors": {"ja": "社", "en": "contractors"},
    "ratio": {"ja": "比（契約金額÷予定価格）", "en": "ratio (contract amount ÷ estimated price)"},
    "bridges": {"ja": "橋", "en": "bridges"},
}
# The conventions every definition rests on, published and versioned with them.
CONVENTIONS: dict[str, dict[str, str]] = {
    "closed_statuses": {
        "ja": "終了した通報：完了・対応不可・回付・経過観察（経過観察は「今は対応しない」という終了）。"
        "未完了：受付・対応中。"
        "完了までの日数と完了の割合は対応状況が「完了」の通報だけを数える。",
        "en": "Closed cases: completed, declined, referred, monitoring (monitoring closes a case with no action "
        "for now). Open: received, in progress. Days to completion and the completed share count only cases "
        "whose status is completed.",
    },
    "business_days": {
        "ja": "営業日：土日・祝日（振替休日を含む）・年末年始（12月29日〜1月3日）を除く日。日数は受付日の翌日から"
        "対応日までの営業日の数（当日0、次の営業日1、土曜受付・月曜対応は1）。",
        "en": "Business days: every day except weekends, public holidays (with substitute holidays) and 29 December "
        "to 3 January. The count is the business days after the day received up to and including the day of the "
        "response (same day 0, next business day 1, received Saturday and answered Monday 1).",
    },
    "quantiles": {
        "ja": "中央値・90パーセンタイルは線形補間（Hyndman-Fanの第7法、numpyの既定）。"
        "区間は順序統計量による約95%信頼区間。",
        "en": "Medians and 90th percentiles by linear interpolation (Hyndman-Fan type 7, numpy's default); the "
        "interval is an order-statistic confidence interval of about 95 %.",
    },
    "periods": {
        "ja": "年度は4月1日〜翌3月31日。基準日に終わっていない年度は途中の値（period_in_progress）。",
        "en": "A fiscal year runs from 1 April to 31 March. A year not over at the as-of date is partial "
        "(flag period_in_progress).",
    },
    "denominators": {
        "ja": "人口は団体の対象区域（coverage）の市町村の合計、道路延長・土木技師・道路橋りょう費・橋梁は"
        "団体自身の数値。全団体の行は各市町村・各団体を1回だけ数える。期間の年度の数値（なければ直前の年度）を使い、"
        "各行に値・年度・出典を示す。"
        "分からない数値は空欄で理由を示し、0にはしない。",
        "en": "Population is summed over the municipalities a body's cases come from (its coverage); road length, "
        "civil engineers, road-and-bridge spending and bridges are the body's own. The all-bodies row counts "
        "each municipality and each body once. Each period uses its fiscal year's figure (else the latest "
        "earlier one), and each row states the value, year and source. An unknown figure is empty with its "
        "reason, never 0.",
    },
}
# Enum fields whose codes the dimension values of a metric come from.
DIMENSION_SOURCES = {
    "channel": ("cases", "channel"),
    "decline_reason": ("cases", "decline_reason"),
    "contract_type": ("contracts", "contract_type"),
    "work_category": ("work_orders", "work_category"),
    "referral_target": ("cases", "referred_to"),
}
EXTRA_DIMENSION_VALUES = {"contract_type": {"unknown": {"ja": "契約不明", "en": "Contract not listed"}}}


def dimension_labels(dimension: str) -> dict[str, dict[str, str]]:
    """{code: {ja, en}} of a metric dimension (the part of metric_id after the dot)."""
    if not dimension:
        return {}
    resource, field = DIMENSION_SOURCES[dimension]
    labels = {
        c: {"ja": schema.label(resource, field, c, "ja"), "en": schema.label(resource, field, c, "en")}
        for c in schema.enum(resource, field)
    }
    if dimension == "referral_target":
        from ..reference import names

        labels |= {c: {"ja": n["ja"], "en": n["en"]} for c, n in sorted(names().items())}
        labels["unknown"] = {"ja": "回付先不明", "en": "Receiving body not recorded"}
    return {**labels, **EXTRA_DIMENSION_VALUES.get(dimension, {})}


def definitions_version() -> str:
    """Hash of the registry, flags and units: changes whenever a definition changes."""
    content = json.dumps([registry_as_json(), FLAGS, UNIT_LABELS, CONVENTIONS], ensure_ascii=False, sort_keys=True)
    return f"{__version__}+{hashlib.sha256(content.encode('utf-8')).hexdigest()[:12]}"


def metric_definitions() -> list[dict[str, Any]]:
    """Every metric's definition in registry order, each with the version and its dimension's codes."""
    version = definitions_version()
    return [
        {
            **entry,
            "dimension_values": dimension_labels(entry["dimension"]),
            "unit_label": UNIT_LABELS[entry["unit"]],
            "version": version,
        }
        for entry in registry_as_json()
    ]


def definitions_document() -> dict[str, Any]:
    """The published metrics definitions file: version, flags with labels, and the metrics."""
    return {"version": definitions_version(), "conventions": CONVENTIONS, "flags": FLAGS, "units": UNIT_LABELS,
            "metrics": metric_definitions()}


def metrics_schema() -> dict[str, Any]:
    """The Frictionless Table Schema of the metrics resource (pipeline/schemas/metrics.schema.json)."""
    return schema.load("metrics")


def _field(name: str, type_: str, ja: str, en: str, dja: str, den: str, example: Any, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "type": type_,
        "title": ja,
        "title_en": en,
        "description": dja,
        "description_en": den,
        "example": example,
        **extra,
    }


def build_schema() -> dict[str, Any]:
    """The metrics Table Schema built from the registry; the committed file must equal it (a test checks)."""
    category_labels = {"all": {"ja": "すべての種別", "en": "All categories"}}
    category_labels |= {
        c: {"ja": schema.label("cases", "category", c, "ja"), "en": schema.label("cases", "category", c, "en")}
        for c in CATEGORIES[1:]
    }
    ids = "|".join(m.id for m in REGISTRY)
    return {
        "name": "metrics",
        "title": "ベンチマーク指標",
        "title_en": "Benchmark metrics",
        "description": "団体・期間・種別ごとの比較指標を1行に1つ。件数の少ないセルは秘匿し、指標の定義は"
        "指標定義ファイルにある。",
        "description_en": "One comparison metric per row, per body, period and category. Cells with few cases "
        "are withheld; the definitions are in the metrics definitions file.",
        "fields": [
            _field(
                "scope",
                "string",
                "集計範囲",
                "Scope",
                "団体ごと（body）か全団体の合計（all）か",
                "One body (body) or all bodies together (all)",
                "body",
                enum_labels={"body": {"ja": "団体", "en": "Body"}, "all": {"ja": "全団体", "en": "All bodies"}},
                constraints={"required": True, "enum": ["body", "all"]},
            ),
            _field(
                "municipality_code",
                "string",
                "全国地方公共団体コード",
                "Local government code",
                "団体のコード（検査数字付き6桁）。全団体の行では空欄",
                "Six-digit local government code with check digit; empty in the all-bodies rows",
                "352152",
                constraints={"pattern": "^[0-9]{6}$"},
            ),
            _field(
                "category",
                "string",
                "種別",
                "Category",
                "通報の種別。allはすべての種別の合計",
                "Kind of request; 'all' for every kind together",
                "all",
                enum_labels=category_labels,
                constraints={"required": True, "enum": list(CATEGORIES)},
            ),
            _field(
                "period_type",
                "string",
                "期間の種類",
                "Period type",
                "年度（4月〜翌3月）か月か",
                "Fiscal year (April to March) or calendar month",
                "fiscal_year",
                enum_labels={"fiscal_year": {"ja": "年度", "en": "Fiscal year"}, "month": {"ja": "月", "en": "Month"}},
                constraints={"required": True, "enum": ["fiscal_year", "month"]},
            ),
            _field(
                "period",
                "string",
                "期間",
                "Period",
                "年度（例 2025）または月（例 2025-04）",
                "Fiscal year (e.g. 2025) or month (e.g. 2025-04)",
                "2025",
                constraints={"required": True, "pattern": "^[0-9]{4}(-(0[1-9]|1[0-2]))?$"},
            ),
            _field(
                "metric_id",
                "string",
                "指標ID",
                "Metric ID",
                "指標定義ファイルの指標ID。内訳のある指標は「指標ID.区分コード」",
                "Metric ID from the definitions file; metrics broken down by a dimension are 'metric_id.code'",
                "requests_received",
                constraints={"required": True, "pattern": f"^({ids})(\\.[a-z0-9_]+)?$"},
            ),
            _field(
                "value",
                "number",
                "値",
                "Value",
                "指標の値。秘匿・分母不明・件数不足の中央値などでは空欄（0ではない）",
                "Value of the metric; empty when withheld, when the denominator is unknown or when a "
                "quantile rests on too few cases (never zero instead)",
                12.5,
            ),
            _field(
                "lower",
                "number",
                "区間の下限",
                "Interval lower bound",
                "約95%信頼区間の下限（割合はWilson、分位数は順序統計量、平均は正規近似）。ない場合は空欄",
                "Lower bound of the ~95 % interval (Wilson for shares, order statistics for quantiles, "
                "normal approximation for means); empty where none fits",
                8.0,
            ),
            _field(
                "upper",
                "number",
                "区間の上限",
                "Interval upper bound",
                "約95%信頼区間の上限。ない場合は空欄",
                "Upper bound of the ~95 % interval; empty where none fits",
                17.0,
            ),
            _field(
                "n",
                "integer",
                "件数（n）",
                "n",
                "値のもとになった件数（何を数えるかは指標定義のn）。秘匿した行では空欄",
                "Count the figure rests on (what it counts is the definition's n); empty where withheld",
                42,
                constraints={"minimum": 0},
            ),
            _field(
                "unreliable",
                "boolean",
                "参考値",
                "Unreliable",
                "件数が最小件数に満たない（値は参考、中央値・分位数は公開しない）",
                "n is below the minimum: the value is indicative only; quantiles are not published",
                False,
                trueValues=["true"],
                falseValues=["false"],
                constraints={"required": True},
            ),
            _field(
                "flags",
                "string",
                "注記",
                "Flags",
                "注記コードを空白区切りで（アルファベット順）。意味は指標定義ファイルのflags",
                "Space-separated note codes in alphabetical order; explained under flags in the definitions file",
                "period_in_progress small_sample",
                constraints={"pattern": f"^(({'|'.join(sorted(FLAGS))})( |$))*$"},
            ),
            _field(
                "unit",
                "string",
                "単位",
                "Unit",
                "値の単位",
                "Unit of the value",
                "cases",
                enum_labels=UNIT_LABELS,
                constraints={"required": True, "enum": list(UNIT_LABELS)},
            ),
            _field(
                "denominator_value",
                "number",
                "分母の値",
                "Denominator value",
                "率の分母（人口・道路延長km・土木技師数）または参考値の値。全団体の行は各市町村・団体を1回だけ数えた合計。"
                "分からない場合と分母のない指標では空欄",
                "The rate's denominator (population, road km, civil engineers) or the context figure; in the "
                "all-bodies rows each municipality and body counted once. Empty when unknown or when the metric has "
                "none",
                56637,
            ),
            _field(
                "denominator_year",
                "string",
                "分母の年度・時点",
                "Denominator year",
                "分母の数値の年度（FY2024）または時点（道路延長は調査時点 2024-03-31）。空白区切りで複数のことがある",
                "Fiscal year (FY2024) or reference date (road length: survey date, 2024-03-31) of the denominator; "
                "space-separated when several",
                "FY2024",
            ),
            _field(
                "denominator_source",
                "string",
                "分母の出典",
                "Denominator source",
                "分母の出典。分からない場合は「not available」とその理由",
                "Source of the denominator; where it is unknown, 'not available' and the reason",
                "総務省 地方財政状況調査（人口） / MIC local public finance survey (population)",
            ),
        ],
        "primaryKey": ["scope", "municipality_code", "category", "period_type", "period", "metric_id"],
        "missingValues": [""],
    }


def schema_text() -> str:
    """build_schema() as the committed file's text (2-space indent, UTF-8, trailing newline)."""
    return json.dumps(build_schema(), ensure_ascii=False, indent=2) + "\n"
