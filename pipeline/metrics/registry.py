"""Benchmark metrics: one declarative entry per metric, published as a machine-readable file."""

from dataclasses import asdict, dataclass
from typing import Any, Literal

Better = Literal["higher", "lower", "neither"]


@dataclass(frozen=True)
class Metric:
    """One benchmark metric: what it measures, in which unit, and what its n counts."""

    id: str
    label_ja: str
    label_en: str
    description_ja: str
    description_en: str
    unit: str
    formula: str
    better: Better
    # why: a rate needs a figure from the municipalities table; "" when the metric needs none.
    denominator: Literal[
        "", "population", "road_km", "civil_engineers", "road_bridge_spending", "bridges_inspected",
        "bridges_need_repair"
    ]
    n_ja: str
    n_en: str
    source: Literal["cases", "contracts", "work_orders", "reference"]
    kind: Literal["count", "rate", "share", "quantile", "mean", "amount", "days", "context"]
    dimension: str = ""
    by_category: bool = False
    monthly: bool = False


def _m(**kw: Any) -> Metric:
    return Metric(**kw)


_RECEIVED = {"n_ja": "受け付けた通報の件数", "n_en": "cases received"}
_CASE = {"source": "cases", "by_category": True, "monthly": True}
_COMPLETED_TIME = (
    "受付日から終了日まで（対応状況が完了の通報）。",
    "From the date received to the date closed, for completed cases.",
)
_FIRST_TIME = (
    "受付日から初動日まで（初動日のある通報）。",
    "From the date received to the first response, for cases with a first response.",
)
_BUSINESS = (
    "営業日は土日・祝日（振替休日を含む）・年末年始（12月29日〜1月3日）を除いた日。受付日の翌日から対応日までに"
    "含まれる営業日を数える（受付日当日の対応は0、次の営業日の対応は1。土曜に受け付けて月曜に対応すれば1）。",
    "Business days exclude weekends, public holidays (with substitute holidays) and the year-end closure "
    "(29 December to 3 January). The count is the business days after the day received up to and including "
    "the day of the response: a response on the day received counts 0, on the next business day 1 (a report "
    "received on Saturday and answered on Monday counts 1).",
)
_QUANTILE = (
    "分位数は線形補間（Hyndman-Fanの第7法、numpyの既定）。通報が最小件数に満たない場合は値を公開しない。"
    "区間は順序統計量による約95%信頼区間（二項分布の正規近似に半順位の補正）。",
    "Quantiles by linear interpolation between order statistics (Hyndman-Fan type 7, numpy's default). Not "
    "published when it rests on fewer cases than the minimum; the interval is an order-statistic confidence "
    "interval of about 95 % (normal approximation to the binomial, widened by half a rank).",
)
_SHARE = ("区間はWilsonの95%信頼区間。", "The interval is the Wilson 95 % score interval.")


def _time(id_: str, ja: str, en: str, what: tuple[str, str], q: str, business: bool) -> Metric:
    unit = "business_days" if business else "days"
    extra = _BUSINESS if business else ("暦日で数える。", "Counted in calendar days.")
    qja, qen = ("中央値", "Median") if q == "median" else ("90パーセンタイル", "90th percentile")
    completed = "completion" in id_
    return _m(
        id=id_,
        label_ja=f"{ja}（{qja}{'・営業日' if business else ''}）",
        label_en=f"{en} ({qen.lower()}{', business days' if business else ''})",
        description_ja=f"{qja}。{what[0]}{extra[0]}{_QUANTILE[0]}",
        description_en=f"{qen}. {what[1]} {extra[1]} {_QUANTILE[1]}",
        unit=unit,
        formula=f"{q} of ({'closed_date' if completed else 'first_response_date'} - requested_date)"
        + (" in business days" if business else ""),
        better="lower",
        denominator="",
        n_ja="完了した通報の件数" if completed else "初動日のある通報の件数",
        n_en="completed cases" if completed else "cases with a first response",
        kind="quantile",
        **_CASE,
    )


def _share(id_: str, ja: str, en: str, dja: str, den: str, formula: str, better: Better, **kw: Any) -> Metric:
    n = kw.pop("n", (_RECEIVED["n_ja"], _RECEIVED["n_en"]))
    return _m(
        id=id_,
        label_ja=ja,
        label_en=en,
        description_ja=f"{dja}{_SHARE[0]}",
        description_en=f"{den} {_SHARE[1]}",
        unit="share",
        formula=formula,
        better=better,
        denominator="",
        n_ja=n[0],
        n_en=n[1],
        kind="share",
        **{**_CASE, **kw},
    )


def _rate(id_: str, ja: str, en: str, denom: str, per: str, unit: str, formula: str) -> Metric:
    return _m(
        id=id_,
        label_ja=ja,
        label_en=en,
        description_ja=f"受け付けた通報の件数を{per}で割った値。分母が不明な団体では空欄（0にはしない）。",
        description_en=f"Cases received divided by {denom.replace('_', ' ')}. Empty where the denominator is "
        "unknown, never zero.",
        unit=unit,
        formula=formula,
        better="neither",
        denominator=denom,
        kind="rate",
        **_RECEIVED,
        **_CASE,
    )


_WO = {"source": "work_orders", "kind": "amount", "better": "neither"}
_SPEND_RULE = (
    "単価契約は作業指示の金額の合計（契約額は単価と予定数量による見込みの額で上限ではなく、作業指示の合計が"
    "それを上回ることもあるため数えない）、総価契約は契約額を契約期間の日数で年度に按分、"
    "個別発注は作業指示の金額（作業指示に金額がなければ契約額）。取消の作業指示は除く。",
    "Unit-price contracts count their work orders' amounts, not the contract amount (an estimate at the unit "
    "prices and expected quantities, not a cap: the work orders can add up to more); lump-sum contracts "
    "count the contract amount, pro-rated to fiscal years by contract days; per-job contracts count their "
    "work orders' amounts, or the contract amount when no work order has one. Cancelled work orders are left out.",
)

REGISTRY: tuple[Metric, ...] = (
    _m(
        id="requests_received",
        label_ja="受付件数",
        label_en="Requests received",
        description_ja="期間中に受け付けた通報の件数。データ開始前の期間は0ではなく空欄。",
        description_en="Cases received in the period. Periods before a body's data start are empty, not zero.",
        unit="cases",
        formula="count(cases where requested_date in period)",
        better="neither",
        denominator="",
        kind="count",
        **_RECEIVED,
        **_CASE,
    ),
    _rate(
        "requests_per_10k_residents",
        "人口1万人あたり受付件数",
        "Requests per 10,000 residents",
        "population",
        "人口（1万人単位）",
        "per_10k_residents",
        "requests_received / population * 10000",
    ),
    _rate(
        "requests_per_100km_road",
        "道路100kmあたり受付件数",
        "Requests per 100 km of road",
        "road_km",
        "管理道路延長（100km単位）",
        "per_100km_road",
        "requests_received / road_km * 100",
    ),
    _rate(
        "requests_per_civil_engineer",
        "土木技師1人あたり受付件数",
        "Requests per civil engineer",
        "civil_engineers",
        "土木技師数",
        "per_civil_engineer",
        "requests_received / civil_engineers",
    ),
    _share(
        "channel_share",
        "受付経路の割合",
        "Channel mix",
        "受け付けた通報のうち、その経路で受け付けた割合。",
        "Share of cases received through each channel.",
        "count(channel = value) / requests_received",
        "neither",
        dimension="channel",
    ),
    _share(
        "completed_share",
        "完了の割合",
        "Completed",
        "受け付けた通報のうち、対応状況が完了の割合（対応不可・回付・経過観察は完了に数えない）。",
        "Share of cases received whose status is completed (declined, referred and monitoring are not "
        "completed).",
        "count(status = completed) / requests_received",
        "neither",
    ),
    _time("days_to_first_response_median", "初動までの日数", "Days to first response", _FIRST_TIME, "median", False),
    _time("days_to_first_response_p90", "初動までの日数", "Days to first response", _FIRST_TIME, "p90", False),
    _time(
        "business_days_to_first_response_median",
        "初動までの日数",
        "Days to first response",
        _FIRST_TIME,
        "median",
        True,
    ),
    _time("business_days_to_first_response_p90", "初動までの日数", "Days to first response", _FIRST_TIME, "p90", True),
    _time("days_to_completion_median", "完了までの日数", "Days to completion", _COMPLETED_TIME, "median", False),
    _time("days_to_completion_p90", "完了までの日数", "Days to completion", _COMPLETED_TIME, "p90", False),
    _time(
        "business_days_to_completion_median",
        "完了までの日数",
        "Days to completion",
        _COMPLETED_TIME,
        "median",
        True,
    ),
    _time("business_days_to_completion_p90", "完了までの日数", "Days to completion", _COMPLETED_TIME, "p90", True),
    _share(
        "completed_within_7_days_share",
        "7日以内に完了した割合",
        "Completed within 7 days",
        "完了を要する通報（完了・受付・対応中）のうち、受付から7日以内に完了した割合。基準日の7日前以降に"
        "受け付けた通報は除く。",
        "Of the cases that need completing (completed, received, in progress), the share completed within "
        "7 calendar days of receipt. Cases received less than 7 days before the as-of date are left out.",
        "count(completed and closed_date - requested_date <= 7) / count(status in completed, received, "
        "in_progress and as_of - requested_date >= 7)",
        "higher",
        n=("完了を要する通報の件数", "cases that need completing"),
    ),
    _share(
        "completed_within_30_days_share",
        "30日以内に完了した割合",
        "Completed within 30 days",
        "完了を要する通報（完了・受付・対応中）のうち、受付から30日以内に完了した割合。基準日の30日前以降に"
        "受け付けた通報は除く。",
        "Of the cases that need completing (completed, received, in progress), the share completed within "
        "30 calendar days of receipt. Cases received less than 30 days before the as-of date are left out.",
        "count(completed and closed_date - requested_date <= 30) / count(status in completed, received, "
        "in_progress and as_of - requested_date >= 30)",
        "higher",
        n=("完了を要する通報の件数", "cases that need completing"),
    ),
    _share(
        "same_day_closure_share",
        "即日完了の割合",
        "Same-day closures",
        "完了した通報のうち、受付日に完了した割合。高い場合は完了後にまとめて登録した可能性があり、"
        "日数の指標に注記する。",
        "Share of completed cases closed on the day received. A high share can mean cases entered after the "
        "work was done; time metrics then carry a flag.",
        "count(completed and closed_date = requested_date) / count(completed with closed_date)",
        "neither",
        n=("完了した通報の件数", "completed cases"),
    ),
    _share(
        "declined_share",
        "対応不可の割合",
        "Declined",
        "受け付けた通報のうち、対応不可とした割合。",
        "Share of cases received that were declined.",
        "count(status = declined) / requests_received",
        "neither",
    ),
    _share(
        "decline_reason_share",
        "対応不可の理由の割合",
        "Decline reasons",
        "対応不可とした通報のうち、その理由による割合。",
        "Share of declined cases with each decline reason.",
        "count(status = declined and decline_reason = value) / count(status = declined)",
        "neither",
        dimension="decline_reason",
        n=("対応不可とした通報の件数", "declined cases"),
    ),
    _share(
        "referred_share",
        "回付の割合",
        "Referred",
        "受け付けた通報のうち、他の管理者に回付した割合。",
        "Share of cases received that were referred to another administrator.",
        "count(status = referred) / requests_received",
        "neither",
    ),
    *(
        _m(
            id=f"days_to_referral_{q}",
            label_ja=f"回付までの日数（{qja}）",
            label_en=f"Days to referral ({qen.lower()})",
            description_ja=f"{qja}。回付した通報について、受付日から回付の対応日（なければ終了日）まで。回付で失われる"
            f"時間。暦日で数える。{_QUANTILE[0]}",
            description_en=f"{qen}. For referred cases, from the date received to the date of the referral step "
            f"(or the date closed): the time a referral costs. Counted in calendar days. {_QUANTILE[1]}",
            unit="days",
            formula=f"{q} of (first referred action_date, else closed_date) - requested_date, for status = referred",
            better="lower",
            denominator="",
            n_ja="回付した通報の件数",
            n_en="referred cases",
            kind="quantile",
            **_CASE,
        )
        for q, qja, qen in (("median", "中央値", "Median"), ("p90", "90パーセンタイル", "90th percentile"))
    ),
    _m(
        id="referrals_to",
        label_ja="回付の件数（回付先別）",
        label_en="Referrals by receiving body",
        description_ja="回付した通報の件数を回付先ごとに。回付先は回付先の団体コード（記録があれば）、なければ回付先の"
        "区分（国・警察など）。回付元から回付先への流れの表になる。",
        description_en="Referred cases per receiving administrator: its local government code where recorded, else "
        "the kind of administrator (national, police, ...). Read as a flow table from the referring body to "
        "the receiving one.",
        unit="cases",
        formula="count(status = referred) per referred_to_code (else referred_to)",
        better="neither",
        denominator="",
        n_ja="回付した通報の件数",
        n_en="referred cases",
        source="cases",
        kind="count",
        dimension="referral_target",
    ),
    _m(
        id="referral_days_median_to",
        label_ja="回付までの日数（回付先別・中央値）",
        label_en="Days to referral by receiving body (median)",
        description_ja=f"中央値。回付先ごとに、受付日から回付の対応日（なければ終了日）まで。暦日で数える。{_QUANTILE[0]}",
        description_en=f"Median, per receiving administrator, of the days from receipt to the referral step (or "
        f"the date closed). Calendar days. {_QUANTILE[1]}",
        unit="days",
        formula="median of (first referred action_date, else closed_date) - requested_date, per referral target",
        better="lower",
        denominator="",
        n_ja="回付した通報の件数",
        n_en="referred cases",
        source="cases",
        kind="quantile",
        dimension="referral_target",
    ),
    _m(
        id="open_backlog",
        label_ja="未完了の件数（期末）",
        label_en="Open backlog at period end",
        description_ja="期末（当期は基準日）に、受け付け済みで終了していない通報の件数。終了日のない終了済みの"
        "通報は数えない。",
        description_en="Cases received by the end of the period (the as-of date for the current one) and not "
        "closed by then. Closed cases without a closing date are left out.",
        unit="cases",
        formula="count(requested_date <= end and (closed_date > end or (no closed_date and status in received, "
        "in_progress)))",
        better="lower",
        denominator="",
        n_ja="期末に未完了の通報の件数",
        n_en="cases open at the end of the period",
        kind="count",
        **_CASE,
    ),
    _m(
        id="open_backlog_age_median",
        label_ja="未完了の通報の経過日数（中央値）",
        label_en="Age of the open backlog (median)",
        description_ja=f"期末に未完了の通報が受付から経過した日数の中央値。暦日で数える。{_QUANTILE[0]}",
        description_en=f"Median number of days the cases open at period end have been open. Calendar days. "
        f"{_QUANTILE[1]}",
        unit="days",
        formula="median of (end - requested_date) over the open backlog",
        better="lower",
        denominator="",
        n_ja="期末に未完了の通報の件数",
        n_en="cases open at the end of the period",
        kind="quantile",
        **_CASE,
    ),
    _share(
        "reopened_share",
        "再開の割合",
        "Reopened",
        "受け付けた通報のうち、一度終了した後に再開された割合。",
        "Share of cases received that were reopened after being closed.",
        "count(reopened) / requests_received",
        "lower",
    ),
    _share(
        "duplicate_share",
        "重複通報の割合",
        "Duplicates",
        "受け付けた通報のうち、先行する通報と同じ事象の割合。",
        "Share of cases received that repeat an earlier report of the same issue.",
        "count(duplicate_of not empty) / requests_received",
        "neither",
    ),
    _share(
        "category_known_share",
        "種別の分かる割合",
        "Category known",
        "データの完全性。受け付けた通報のうち、種別が「その他」でない割合。",
        "Data completeness: share of cases received whose category is not 'other'.",
        "count(category != other) / requests_received",
        "higher",
        by_category=False,
    ),
    _share(
        "location_known_share",
        "位置の分かる割合",
        "Location known",
        "データの完全性。受け付けた通報のうち、地域メッシュで位置を公開している割合。",
        "Data completeness: share of cases received published with a mesh location.",
        "count(mesh_level in quarter, half, standard) / requests_received",
        "higher",
    ),
    _share(
        "first_response_recorded_share",
        "初動日の記録率",
        "First response recorded",
        "データの完全性。受付状態を過ぎた通報のうち、初動日が記録されている割合。",
        "Data completeness: share of cases past 'received' with a first response date.",
        "count(first_response_date not empty) / count(status != received)",
        "higher",
        n=("受付状態を過ぎた通報の件数", "cases past 'received'"),
    ),
    _share(
        "closed_date_recorded_share",
        "終了日の記録率",
        "Closing date recorded",
        "データの完全性。終了した通報（完了・対応不可・回付・経過観察）のうち、終了日が記録されている割合。",
        "Data completeness: share of closed cases (completed, declined, referred, monitoring) with a closing date.",
        "count(closed_date not empty) / count(status in completed, declined, referred, monitoring)",
        "higher",
        n=("終了した通報の件数", "closed cases"),
    ),
    _share(
        "milestones_complete_share",
        "日付の記録がそろう割合",
        "All milestones recorded",
        "データの完全性。受け付けた通報のうち、状態に応じた日付（受付後は初動日、終了後は終了日）が"
        "すべて記録されている割合。",
        "Data completeness: share of cases received with every milestone their status calls for (a first "
        "response once past 'received', a closing date once closed).",
        "count((status = received or first_response_date) and (open or closed_date)) / requests_received",
        "higher",
    ),
    _m(
        id="export_lag_days",
        label_ja="データの遅れ（日数）",
        label_en="Export lag (days)",
        description_ja="基準日から最新の受付日までの日数。全団体の行では最も遅れている団体の値。",
        description_en="Days from the latest date received to the as-of date. For all bodies: the largest lag.",
        unit="days",
        formula="as_of - max(requested_date)",
        better="lower",
        denominator="",
        n_ja="その団体の通報の総数",
        n_en="all cases of the body",
        source="cases",
        kind="days",
    ),
    _m(
        id="spending",
        label_ja="支出額",
        label_en="Spending",
        description_ja=f"年度の維持管理の支出額。{_SPEND_RULE[0]}",
        description_en=f"Maintenance spending in the fiscal year. {_SPEND_RULE[1]}",
        unit="JPY",
        formula="sum(work order amounts of unit_price and per_job contracts) + pro-rated lump_sum "
        "contract_amount + per_job contract_amount without work order amounts",
        denominator="",
        n_ja="数えた作業指示と契約の件数",
        n_en="work orders and contracts counted",
        **_WO,
    ),
    _m(
        id="spending_by_contract_type",
        label_ja="契約方式別の支出額",
        label_en="Spending by contract type",
        description_ja=f"契約方式ごとの支出額。契約が見つからない作業指示は unknown。{_SPEND_RULE[0]}",
        description_en=f"Spending per contract type; work orders whose contract is not listed count as "
        f"unknown. {_SPEND_RULE[1]}",
        unit="JPY",
        formula="spending where contract_type = value",
        denominator="",
        n_ja="数えた作業指示と契約の件数",
        n_en="work orders and contracts counted",
        dimension="contract_type",
        **_WO,
    ),
    _m(
        id="spending_by_work_category",
        label_ja="業務区分別の支出額",
        label_en="Spending by work category",
        description_ja=f"業務区分ごとの支出額（作業指示の区分、契約額で数える場合は契約の区分）。{_SPEND_RULE[0]}",
        description_en=f"Spending per work category (the work order's, or the contract's where the contract "
        f"amount is counted). {_SPEND_RULE[1]}",
        unit="JPY",
        formula="spending where work_category = value",
        denominator="",
        n_ja="数えた作業指示と契約の件数",
        n_en="work orders and contracts counted",
        dimension="work_category",
        **_WO,
    ),
    _m(
        id="spending_per_resident",
        label_ja="住民1人あたり支出額",
        label_en="Spending per resident",
        description_ja="支出額を人口で割った値。人口が不明な団体では空欄。",
        description_en="Spending divided by population. Empty where the population is unknown.",
        unit="JPY_per_resident",
        formula="spending / population",
        denominator="population",
        n_ja="数えた作業指示と契約の件数",
        n_en="work orders and contracts counted",
        **_WO,
    ),
    _m(
        id="spending_per_km_road",
        label_ja="道路1kmあたり支出額",
        label_en="Spending per km of road",
        description_ja="支出額を管理道路延長で割った値。延長が不明な団体では空欄（0にはしない）。",
        description_en="Spending divided by the length of road administered. Empty where it is unknown, never zero.",
        unit="JPY_per_km",
        formula="spending / road_km",
        denominator="road_km",
        n_ja="数えた作業指示と契約の件数",
        n_en="work orders and contracts counted",
        **_WO,
    ),
    _m(
        id="spending_per_km_by_contract_type",
        label_ja="契約方式別の道路1kmあたり支出額",
        label_en="Spending per km of road by contract type",
        description_ja="契約方式ごとの支出額を管理道路延長（市町村道実延長）で割った値。延長が不明な団体では空欄。",
        description_en="Spending per contract type divided by the length of road administered (municipal road "
        "length). Empty where it is unknown, never zero.",
        unit="JPY_per_km",
        formula="spending where contract_type = value / road_km",
        denominator="road_km",
        n_ja="数えた作業指示と契約の件数",
        n_en="work orders and contracts counted",
        dimension="contract_type",
        **_WO,
    ),
    *(
        _m(
            id=f"cost_per_completed_work_order{suffix}",
            label_ja=f"完了した作業1件あたりの費用{ja}",
            label_en=f"Cost per completed work order{en}",
            description_ja="完了した作業指示の金額の平均（単価契約・個別発注。総価契約の作業は金額が支出でないため除く）。",
            description_en="Mean amount of completed work orders under unit-price and per-job contracts (jobs "
            "under lump-sum contracts are left out: their amounts are not what was paid).",
            unit="JPY",
            formula="mean(amount) of completed work orders with an amount, contract_type in unit_price, per_job",
            better="neither",
            denominator="",
            n_ja="完了した作業指示の件数",
            n_en="completed work orders",
            source="work_orders",
            kind="mean",
            dimension=dim,
        )
        for suffix, ja, en, dim in (
            ("", "", "", ""),
            ("_by_work_category", "（作業区分別）", " by work category", "work_category"),
        )
    ),
    _m(
        id="contracts_awarded",
        label_ja="契約件数",
        label_en="Contracts awarded",
        description_ja="その年度の維持管理の契約の件数。",
        description_en="Maintenance contracts of the fiscal year.",
        unit="contracts",
        formula="count(contracts where fiscal_year = year)",
        better="neither",
        denominator="",
        n_ja="契約の件数",
        n_en="contracts",
        source="contracts",
        kind="count",
    ),
    _m(
        id="contractors",
        label_ja="受注者数",
        label_en="Contractors",
        description_ja="その年度の契約の受注者の数（同じ名称は1社と数える。全団体の行では団体をまたいで1社）。",
        description_en="Distinct contractors of the fiscal year's contracts (by name; counted once across "
        "bodies in the all-bodies row).",
        unit="contractors",
        formula="count(distinct contractor)",
        better="neither",
        denominator="",
        n_ja="契約の件数",
        n_en="contracts",
        source="contracts",
        kind="count",
    ),
    _m(
        id="competitive_procurement_share",
        label_ja="競争性のある契約の割合",
        label_en="Competitive procurement",
        description_ja=f"一般競争入札・指名競争入札・公募型プロポーザルの契約が、それらと随意契約を合わせた契約に"
        f"占める割合（件数）。「その他」は除く。{_SHARE[0]}",
        description_en=f"Contracts by open tender, designated tender or proposal, as a share of those plus "
        f"negotiated contracts (by count); 'other' is left out. {_SHARE[1]}",
        unit="share",
        formula="count(open_tender, designated_tender, proposal) / count(open_tender, designated_tender, "
        "proposal, negotiated)",
        better="higher",
        denominator="",
        n_ja="競争・随意契約の件数",
        n_en="competitive and negotiated contracts",
        source="contracts",
        kind="share",
    ),
    _m(
        id="award_ratio_mean",
        label_ja="落札率（平均）",
        label_en="Award ratio (mean)",
        description_ja="競争で選んだ契約のうち予定価格が公表されているものの、契約金額÷予定価格の平均。"
        "随意契約は落札でないため除く。",
        description_en="Mean of contract amount ÷ estimated price over competitively awarded contracts with a "
        "published estimate. Negotiated contracts are left out: they are not awarded by bidding.",
        unit="ratio",
        formula="mean(contract_amount / estimated_price) where estimated_price > 0 and procurement is competitive",
        better="neither",
        denominator="",
        n_ja="予定価格のある競争契約の件数",
        n_en="competitive contracts with an estimate",
        source="contracts",
        kind="mean",
    ),
    *(
        _m(
            id=name,
            label_ja=ja,
            label_en=en,
            description_ja=f"参考：{dja}出典の年度の値（その年度がなければ直前の年度）。都道府県の数値は出典にない。",
            description_en=f"Context: {den} The figure of the period's fiscal year in the source (else the latest "
            "earlier year). Not available for the prefecture: the source covers municipalities.",
            unit=unit,
            formula=f"reference figure {name} of the body",
            better="neither",
            denominator=name,
            n_ja="なし（出典の数値）",
            n_en="none (a reference figure)",
            source="reference",
            kind="context",
        )
        for name, ja, en, dja, den, unit in (
            ("road_bridge_spending", "道路橋りょう費（決算）", "Road and bridge spending (budget outturn)",
             "団体の決算の道路橋りょう費（総務省 地方財政状況調査）。報告された維持管理の支出と比べるための予算規模。",
             "The body's road-and-bridge expenditure (道路橋りょう費, MIC local public finance survey): its own "
             "budget, to place the reported maintenance spending against.", "JPY"),
            ("bridges_inspected", "点検した橋梁の数", "Bridges inspected",
             "法定点検を受けた橋梁の数（国土交通省 道路メンテナンス年報）。",
             "Bridges inspected under the statutory inspection (MLIT road maintenance annual report).", "bridges"),
            ("bridges_need_repair", "修繕が必要な橋梁の数", "Bridges needing repair",
             "点検で修繕が必要と判定された橋梁の数（国土交通省 道路メンテナンス年報）。",
             "Bridges judged in need of repair at inspection (MLIT road maintenance annual report).", "bridges"),
        )
    ),
)

BY_ID: dict[str, Metric] = {m.id: m for m in REGISTRY}

# why: the site explains every flag; labels live next to the metrics they qualify.
FLAGS: dict[str, dict[str, str]] = {
    "no_data": {"ja": "この団体のデータなし", "en": "No data from this body"},
    "before_data_start": {"ja": "データ開始前の期間（0ではない）", "en": "Before the body's data start (not zero)"},
    "data_start_in_period": {"ja": "期間の途中からのデータ", "en": "Data start falls within the period"},
    "period_in_progress": {"ja": "基準日時点で期間の途中", "en": "Period not over at the as-of date"},
    "partial_coverage": {"ja": "一部の団体のデータがない期間", "en": "Some bodies have no data for the whole period"},
    "missing_denominator": {"ja": "分母が不明", "en": "Denominator unknown"},
    "small_sample": {"ja": "件数が少ない", "en": "Small sample"},
    "suppressed": {"ja": "件数が少ないため非公開", "en": "Withheld: too few cases"},
    "same_day_closures": {"ja": "即日完了が多い", "en": "Many same-day closures"},
    "inconsistent_dates_excluded": {
        "ja": "前後が逆の日付を除外",
        "en": "Dates out of order left out",
    },
}


def registry_as_json() -> list[dict[str, Any]]:
    """REGISTRY -> a list of plain dicts in registry order, for the published metrics file."""
    return [asdict(m) for m in REGISTRY]
