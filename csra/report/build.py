"""Build the CS report: one self-contained HTML page from the marts.

Each section reads the published marts (or the semantic layer) through
`Warehouse`, draws its charts as inline SVG (`charts.py`) and states the
definition of what it shows, linked to the docs site page where that
definition's `{% docs %}` block is rendered.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from csra.dbt_invoke import PROJECT_DIR
from csra.report import charts
from csra.report.warehouse import Warehouse

SEGMENTS = ("smb", "mid_market", "enterprise")
SEGMENT_LABELS = {"all": "company", "smb": "SMB", "mid_market": "mid-market", "enterprise": "enterprise"}
TREND_MONTHS = 24
SMALL_SAMPLE = 30  # rates over fewer accounts than this carry their sample size


def load_doc_blocks(folder: Path = PROJECT_DIR / "models" / "_docs") -> dict[str, str]:
    """{block name: its first sentence, markdown removed} from models/_docs/*.md."""
    blocks = {}
    for path in sorted(folder.glob("*.md")):
        for name, body in re.findall(r"{%\s*docs\s+(\w+)\s*%}(.*?){%\s*enddocs\s*%}", path.read_text(), re.S):
            text = re.sub(r"[*`]", "", " ".join(body.split()))
            sentence = re.match(r"(.+?[.!?])(\s|$)", text)
            line = sentence.group(1) if sentence else text
            blocks[name] = line if len(line) <= 200 else line[:200].rsplit(" ", 1)[0] + " ..."
    return blocks


@dataclass
class Chart:
    """One chart with what a reader needs to trust it."""

    title: str
    units: str
    doc: str  # docs block name
    model: str  # mart whose docs page renders the block
    svg: str
    note: str = ""


@dataclass
class Section:
    anchor: str
    title: str
    intro: str
    charts: list[Chart] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)


def month_label(value: object) -> str:
    return value.strftime("%Y-%m") if isinstance(value, dt.date) else str(value)[:7]


def fmt_pct(value: object, digits: int = 1) -> str:
    return "-" if value is None else f"{float(value) * 100:.{digits}f}%"


def fmt_usd(value: object) -> str:
    return "-" if value is None else f"${float(value):,.0f}"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, css: str = "", raw: bool = False) -> str:
    """An HTML table; cells are escaped unless `raw` (already HTML)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{cell if raw else escape(str(cell))}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


class ReportBuilder:
    """Collects the sections of the report from one warehouse."""

    def __init__(self, warehouse: Warehouse) -> None:
        self.wh = warehouse
        self.docs = load_doc_blocks()
        latest = self.wh.rows("select max(month_start) as m from {mart_revenue_retention}")[0]["m"]
        if latest is None:
            raise ValueError("the marts hold no complete month with MRR yet: nothing to report")
        self.latest_month: dt.date = latest
        self.sections: list[Section] = []

    # -- helpers --------------------------------------------------------------------
    def months(self, count: int = TREND_MONTHS) -> list[dt.date]:
        out = []
        year, month = self.latest_month.year, self.latest_month.month
        for _ in range(count):
            out.append(dt.date(year, month, 1))
            month -= 1
            if month == 0:
                year, month = year - 1, 12
        return out[::-1]

    def since(self, count: int = TREND_MONTHS) -> str:
        return self.months(count)[0].isoformat()

    def by_month(
        self, rows: Sequence[dict], key: str, value: str, months: Sequence[dt.date], segment_key: str = "segment"
    ) -> dict[str, list[float | None]]:
        """{segment: [value per month]} from rows with month, segment and value columns."""
        index: dict[tuple, object] = {}
        for row in rows:
            stamp = row[key]
            stamp = stamp.date() if isinstance(stamp, dt.datetime) else stamp
            index[(stamp, row.get(segment_key, "all"))] = row[value]
        segments = [s for s in ("all", *SEGMENTS) if any(k[1] == s for k in index)]
        return {
            SEGMENT_LABELS.get(s, s): [None if index.get((m, s)) is None else float(index[(m, s)]) for m in months]
            for s in segments
        }

    def bands(self) -> dict[tuple[str, str], dict]:
        rows = self.wh.rows(
            "select metric, segment, benchmark_low, benchmark_high, band_label from {cs_benchmark_bands}"
        )
        return {(r["metric"], r["segment"]): r for r in rows}

    def band_for(self, bands: dict, metric: str, segment: str) -> tuple[float | None, float | None] | None:
        row = bands.get((metric, segment)) or bands.get((metric, "all"))
        if row is None:
            return None
        low = None if row["benchmark_low"] is None else float(row["benchmark_low"])
        high = None if row["benchmark_high"] is None else float(row["benchmark_high"])
        return low, high

    # -- sections -------------------------------------------------------------------
    def revenue_bridge(self) -> None:
        months = self.months(12)
        rows = self.wh.metrics(
            ["starting_mrr", "new_mrr", "reactivation_mrr", "expansion_mrr", "contraction_mrr", "churned_mrr", "mrr"],
            ["metric_time__month"],
            [f"{{{{ TimeDimension('metric_time', 'month') }}}} >= '{months[0].isoformat()}'"],
        )
        by_month = {r["metric_time__month"]: r for r in rows}
        first, last = by_month.get(months[0], {}), by_month.get(months[-1], {})
        total = defaultdict(float)
        for row in rows:
            for name in ("new_mrr", "reactivation_mrr", "expansion_mrr", "contraction_mrr", "churned_mrr"):
                total[name] += float(row[name] or 0)
        steps = [
            (f"MRR {month_label(months[0])} start", float(first.get("starting_mrr") or 0)),
            ("new", total["new_mrr"]),
            ("reactivation", total["reactivation_mrr"]),
            ("expansion", total["expansion_mrr"]),
            ("contraction", -total["contraction_mrr"]),
            ("churn", -total["churned_mrr"]),
            (f"MRR {month_label(months[-1])} end", float(last.get("mrr") or 0)),
        ]
        labels = [month_label(m) for m in months]
        movements = {
            name: [
                None if m not in by_month else sign * float(by_month[m][column] or 0)
                for m in months
            ]
            for name, column, sign in (
                ("new", "new_mrr", 1), ("reactivation", "reactivation_mrr", 1), ("expansion", "expansion_mrr", 1),
                ("contraction", "contraction_mrr", -1), ("churn", "churned_mrr", -1),
            )
        }
        colours = {"new": "#2563eb", "reactivation": "#0891b2", "expansion": "#16a34a",
                   "contraction": "#f97316", "churn": "#dc2626"}
        self.sections.append(Section(
            "bridge", "Revenue bridge",
            "How MRR moved: the last twelve months as one waterfall, then month by month "
            "(semantic layer: saved query board_monthly_revenue_bridge).",
            [
                Chart("MRR bridge, last 12 months", "USD of MRR", "movement_type", "fct_mrr_movements",
                      charts.waterfall_chart("MRR bridge, last 12 months", steps, charts.usd)),
                Chart("MRR movements by month", "USD of MRR (churn and contraction below zero)", "movement_type",
                      "fct_mrr_movements",
                      charts.bar_chart("MRR movements by month", labels, movements, charts.usd, stacked=True,
                                       colours=colours)),
            ],
        ))

    def mrr_trend(self) -> None:
        months = self.months()
        rows = self.wh.metrics(
            ["mrr", "arr"], ["metric_time__month", "segment"],
            [f"{{{{ TimeDimension('metric_time', 'month') }}}} >= '{months[0].isoformat()}'"],
        )
        mrr = self.by_month(rows, "metric_time__month", "mrr", months)
        arr = self.by_month(rows, "metric_time__month", "arr", months)
        latest = {seg: values[-1] for seg, values in arr.items()}
        labels = [month_label(m) for m in months]
        self.sections.append(Section(
            "trend", "MRR and ARR by segment",
            "Recurring revenue at each month end, per segment (semantic layer: metrics mrr, arr). "
            + "ARR now: " + ", ".join(f"{seg} {charts.usd(v or 0)}" for seg, v in latest.items()) + ".",
            [
                Chart("MRR by segment", "USD per month", "mrr", "mart_revenue_retention",
                      charts.line_chart("MRR by segment", labels, mrr, charts.usd)),
                Chart("ARR by segment", "USD per year (12 x MRR)", "arr", "mart_revenue_retention",
                      charts.line_chart("ARR by segment", labels, arr, charts.usd)),
            ],
        ))

    def retention(self) -> None:
        bands = self.bands()
        latest = self.latest_month.isoformat()
        rows = self.wh.rows(
            "select r.segment, r.nrr_t12m, r.grr_t12m, c.accounts_t12m_cohort "
            "from {mart_revenue_retention} as r inner join {mart_churn} as c "
            "on r.month_start = c.month_start and r.segment = c.segment "
            f"where r.month_start = cast('{latest}' as date)"
        )
        by_segment = {r["segment"]: r for r in rows}
        order = [s for s in ("all", *SEGMENTS) if s in by_segment]
        labels = [SEGMENT_LABELS[s] for s in order]
        notes = [
            f"n = {n} accounts" + (" (small sample)" if n < SMALL_SAMPLE else "")
            for n in (int(by_segment[s]["accounts_t12m_cohort"] or 0) for s in order)
        ]
        charts_out = []
        for metric, title in (("nrr_t12m", "NRR, trailing 12 months"), ("grr_t12m", "GRR, trailing 12 months")):
            values = [by_segment[s][metric] for s in order]
            charts_out.append(Chart(
                f"{title}, {month_label(self.latest_month)}, against the benchmark band", "% of MRR 12 months ago",
                metric, "mart_revenue_retention",
                charts.bar_chart(title, labels, {title: values}, charts.pct1,
                                 bands=[self.band_for(bands, metric, s) for s in order], annotations=notes),
                note="Shaded: benchmark band from seeds/cs_benchmark_bands.csv (open-ended bands run to the edge). "
                     "n = accounts paying 12 months ago (the cohort).",
            ))
        months = self.months()
        trend = self.wh.rows(
            "select month_start, segment, nrr_t12m from {mart_revenue_retention} "
            f"where month_start >= cast('{months[0].isoformat()}' as date)"
        )
        charts_out.append(Chart(
            "NRR, trailing 12 months, by month", "% of MRR 12 months ago", "nrr_t12m", "mart_revenue_retention",
            charts.line_chart("NRR T12M by month", [month_label(m) for m in months],
                              self.by_month(trend, "month_start", "nrr_t12m", months), charts.pct,
                              include_zero=False, band=self.band_for(bands, "nrr_t12m", "all")),
        ))
        self.sections.append(Section(
            "retention", "Net and gross revenue retention",
            "Trailing-twelve-month cohort rates, the figures boards quote, per segment.", charts_out,
        ))

    def churn_and_renewals(self) -> None:
        months = self.months()
        since = months[0].isoformat()
        churn = self.wh.rows(
            "select month_start, segment, logo_churn_rate, accounts_start from {mart_churn} "
            f"where month_start >= cast('{since}' as date)"
        )
        renewals = self.wh.rows(
            "select month_start, contracts_renewed, contracts_not_renewed, contracts_pending, arr_up, "
            "logo_renewal_rate, arr_renewal_rate from {mart_renewals} "
            f"where segment = 'all' and month_start >= cast('{since}' as date)"
        )
        by_month = {r["month_start"]: r for r in renewals}
        labels = [month_label(m) for m in months]
        stacks = {
            name: [float(by_month[m][column]) if m in by_month else None for m in months]
            for name, column in (("renewed", "contracts_renewed"), ("not renewed", "contracts_not_renewed"),
                                 ("pending", "contracts_pending"))
        }
        latest_churn = {r["segment"]: r for r in churn if r["month_start"] == self.latest_month}
        small = [
            f"{SEGMENT_LABELS[s]}: n = {latest_churn[s]['accounts_start']}"
            for s in SEGMENTS
            if s in latest_churn and (latest_churn[s]["accounts_start"] or 0) < SMALL_SAMPLE
        ]
        self.sections.append(Section(
            "churn", "Logo churn and renewals",
            "Accounts lost each month and the contracts that came up for renewal.",
            [
                Chart("Logo churn rate by month", "% of accounts paying at month start", "logo_churn_rate",
                      "mart_churn",
                      charts.line_chart("Logo churn rate", labels,
                                        self.by_month(churn, "month_start", "logo_churn_rate", months), charts.pct1),
                      note=("Small segments this month: " + "; ".join(small)) if small else ""),
                Chart("Renewal decisions by month", "contracts up for renewal", "logo_renewal_rate", "mart_renewals",
                      charts.bar_chart("Renewal decisions", labels, stacks, charts.plain, stacked=True,
                                       colours={"renewed": charts.POSITIVE, "not renewed": charts.NEGATIVE,
                                                "pending": charts.NEUTRAL})),
                Chart("Logo and ARR renewal rate by month", "% of decided contracts / of their expiring ARR",
                      "arr_renewal_rate", "mart_renewals",
                      charts.line_chart("Renewal rates", labels, {
                          "logo renewal rate": [by_month[m]["logo_renewal_rate"] if m in by_month else None
                                                for m in months],
                          "ARR renewal rate": [by_month[m]["arr_renewal_rate"] if m in by_month else None
                                               for m in months],
                      }, charts.pct, include_zero=False)),
            ],
        ))

    def time_to_value(self) -> None:
        rows = self.wh.rows(
            "select cohort_month, accounts_signed, median_ttv_days, share_within_30d, share_within_60d, "
            "share_within_90d from {mart_ttv_cohorts} "
            f"where segment = 'all' and cohort_month >= cast('{self.since(18)}' as date) order by cohort_month"
        )
        row_labels = [f"{month_label(r['cohort_month'])} (n={r['accounts_signed']})" for r in rows]
        values = [[r["share_within_30d"], r["share_within_60d"], r["share_within_90d"]] for r in rows]
        buckets = self.wh.rows(
            "select ttv_bucket, ttv_bucket_order, accounts, first_renewal_rate from {mart_retention_by_ttv} "
            "where segment = 'all' order by ttv_bucket_order"
        )
        self.sections.append(Section(
            "ttv", "Time to value",
            "How fast new customers reach first value, and whether that predicts their first renewal.",
            [
                Chart("Share reaching first value within 30 / 60 / 90 days, by signing cohort",
                      "% of signed accounts (pending accounts left out)", "ttv_share_within_n", "mart_ttv_cohorts",
                      charts.heatmap("TTV cohort heatmap", row_labels, ["within 30 days", "within 60 days",
                                                                        "within 90 days"], values, charts.pct)),
                Chart("First-renewal rate by time-to-value bucket", "% of accounts whose first contract renewed",
                      "retention_by_ttv_rate", "mart_retention_by_ttv",
                      charts.bar_chart("First renewal rate by TTV bucket", [b["ttv_bucket"] for b in buckets],
                                       {"first renewal rate": [b["first_renewal_rate"] for b in buckets]},
                                       charts.pct, annotations=[f"n = {b['accounts']}" for b in buckets])),
            ],
        ))

    def onboarding(self) -> None:
        rows = self.wh.rows(
            "select cohort_month, accounts_onboarded_on_time, accounts_onboarding_missed, "
            "accounts_onboarding_in_progress, onboarding_on_time_rate from {mart_onboarding_cohorts} "
            f"where segment = 'all' and cohort_month >= cast('{self.since(18)}' as date) order by cohort_month"
        )
        labels = [month_label(r["cohort_month"]) for r in rows]
        self.sections.append(Section(
            "onboarding", "Onboarding completion",
            "Accounts of each signing cohort that finished onboarding on time, late or not yet.",
            [Chart("Onboarding outcome by signing cohort", "accounts", "onboarding_on_time_rate",
                   "mart_onboarding_cohorts",
                   charts.bar_chart("Onboarding outcome", labels, {
                       "on time": [r["accounts_onboarded_on_time"] for r in rows],
                       "missed": [r["accounts_onboarding_missed"] for r in rows],
                       "in progress": [r["accounts_onboarding_in_progress"] for r in rows],
                   }, charts.plain, stacked=True, colours={"on time": charts.POSITIVE, "missed": charts.NEGATIVE,
                                                           "in progress": charts.NEUTRAL}))],
        ))

    def pipeline(self) -> None:
        since = self.since(12)
        funnel = self.wh.rows(
            "select sum(opportunities_created) as created, sum(opportunities_qualified) as qualified, "
            "sum(opportunities_won) as won, sum(arr_created) as arr_created, sum(arr_won) as arr_won "
            f"from {{mart_csqp}} where segment = 'all' and month_start >= cast('{since}' as date)"
        )[0]
        months = self.months()
        share = self.wh.metrics(
            ["cs_sourced_expansion_share"], ["metric_time__month"],
            [f"{{{{ TimeDimension('metric_time', 'month') }}}} >= '{months[0].isoformat()}'"],
        )
        steps = [
            ("created", float(funnel["created"] or 0),
             f"{funnel['created'] or 0} opps, {fmt_usd(funnel['arr_created'])} ARR"),
            ("qualified", float(funnel["qualified"] or 0), f"{funnel['qualified'] or 0} opps"),
            ("won", float(funnel["won"] or 0), f"{funnel['won'] or 0} opps, {fmt_usd(funnel['arr_won'])} ARR"),
        ]
        self.sections.append(Section(
            "pipeline", "CS-qualified pipeline and CS-sourced expansion",
            "Expansion opportunities CS created in the last 12 months, and the share of expansion MRR they "
            "brought in (semantic layer: metric cs_sourced_expansion_share).",
            [
                Chart("CSQP funnel, last 12 months", "opportunities (ARR in USD)", "csqp_opportunities_qualified",
                      "mart_csqp", charts.funnel_chart("CSQP funnel", steps)),
                Chart("CS-sourced share of expansion MRR by month", "% of expansion MRR",
                      "attribution_cs_sourced_share", "mart_expansion_attribution",
                      charts.line_chart("CS-sourced expansion share", [month_label(m) for m in months],
                                        self.by_month(share, "metric_time__month", "cs_sourced_expansion_share",
                                                      months), charts.pct)),
            ],
        ))

    def experience(self) -> None:
        since = self.since(12)
        rows = self.wh.metrics(
            ["csat", "csat_arr_weighted", "nps", "nps_arr_weighted", "survey_responses"],
            ["experience_group__arr_band"],
            [f"{{{{ TimeDimension('metric_time', 'month') }}}} >= '{since}'"],
        )
        order = ["0-10k", "10k-50k", "50k-250k", "250k+"]
        by_band = {r["experience_group__arr_band"]: r for r in rows}
        bands = [b for b in order if b in by_band]
        notes = [f"n = {by_band[b]['survey_responses']:.0f}" for b in bands]
        self.sections.append(Section(
            "experience", "Customer experience by ARR band",
            "Last 12 months of survey responses, plain and weighted by the responding account's ARR "
            "(semantic layer: metrics csat, nps and their ARR-weighted variants).",
            [
                Chart("CSAT by ARR band", "% of responses scoring 4-5", "experience_csat", "mart_experience",
                      charts.bar_chart("CSAT by ARR band", bands, {
                          "CSAT": [by_band[b]["csat"] for b in bands],
                          "CSAT, ARR-weighted": [by_band[b]["csat_arr_weighted"] for b in bands],
                      }, charts.pct, annotations=notes),
                      note="n = survey responses of all types in the band"),
                Chart("NPS by ARR band", "NPS points (-100 to 100)", "experience_nps", "mart_experience",
                      charts.bar_chart("NPS by ARR band", bands, {
                          "NPS": [by_band[b]["nps"] for b in bands],
                          "NPS, ARR-weighted": [by_band[b]["nps_arr_weighted"] for b in bands],
                      }, charts.plain)),
            ],
        ))

    def health(self) -> None:
        weeks = self.wh.rows(
            "select week_start, health_band, count(*) as accounts from {fct_account_health} "
            "group by week_start, health_band order by week_start"
        )
        starts = sorted({r["week_start"] for r in weeks})[-26:]
        counts = {(r["week_start"], r["health_band"]): r["accounts"] for r in weeks}
        totals = {w: sum(counts.get((w, b), 0) for b in ("red", "yellow", "green")) for w in starts}
        mix = {
            band: [counts.get((w, band), 0) / totals[w] if totals[w] else None for w in starts]
            for band in ("green", "yellow", "red")
        }
        latest_week = starts[-1] if starts else None
        queue = self.wh.rows(
            "select h.account_id, a.account_name, h.segment, h.mrr_usd, h.health_score, h.health_band, "
            "h.routing_action, h.usage_score, h.support_score, h.engagement_score, h.payment_score, "
            "h.relationship_score, h.has_expansion_signal, h.escalated_cases_90d, h.max_days_overdue "
            "from {fct_account_health} as h left join {dim_accounts} as a on h.account_id = a.account_id "
            f"where h.week_start = cast('{latest_week}' as date) and h.routing_action <> 'steady_state' "
            "order by case h.routing_action when 'retention_specialist' then 0 when 'growth_csm' then 1 else 2 end, "
            "h.mrr_usd desc"
        ) if latest_week else []
        backtest = self.wh.rows(
            "select health_band, sum(accounts) as accounts, sum(churned_within_90d) as churned "
            "from {mart_health_backtest} group by health_band"
        )
        by_band = {r["health_band"]: r for r in backtest}
        order = [b for b in ("red", "yellow", "green") if b in by_band]
        rates = [float(by_band[b]["churned"]) / float(by_band[b]["accounts"]) if by_band[b]["accounts"] else None
                 for b in order]
        rows = []
        for account in queue[:25]:
            why = self.why(account)
            rows.append([
                escape(str(account["account_name"] or account["account_id"])),
                escape(SEGMENT_LABELS.get(account["segment"], str(account["segment"]))),
                escape(fmt_usd(account["mrr_usd"])),
                f'<span class="pill {escape(str(account["health_band"]))}">{float(account["health_score"]):.0f}</span>',
                escape(str(account["routing_action"]).replace("_", " ")),
                escape(why),
            ])
        queue_table = (
            f"<h3>Routing queue: accounts to act on this week (week of {latest_week}: {len(queue)} accounts"
            f" routed away from steady state; retention first, then growth, then onboarding, top 25 by MRR)</h3>"
            + table(["account", "segment", "MRR", "health", "route to", "why"], rows, css="queue", raw=True)
        )
        self.sections.append(Section(
            "health", "Account health",
            "Weekly 0-100 health score: the band mix over time, who to call this week and whether the bands "
            "predicted churn.",
            [
                Chart("Health band mix, last 26 weeks", "% of scored accounts", "health_band", "fct_account_health",
                      charts.bar_chart("Health band mix", [str(w) for w in starts], mix, charts.pct, stacked=True)),
                Chart("Backtest: churn within 90 days by band", "% of account-weeks followed by churn",
                      "health_churn_rate_90d", "mart_health_backtest",
                      charts.bar_chart("Churn within 90 days by band", order, {"churn within 90 days": rates},
                                       charts.pct1, colours={"churn within 90 days": charts.NEUTRAL},
                                       annotations=[f"n = {by_band[b]['accounts']}" for b in order])),
            ],
            [queue_table],
        ))

    @staticmethod
    def why(account: dict) -> str:
        """The reason an account is in the queue, from its lowest component scores and signals."""
        reasons = []
        if account["routing_action"] == "growth_csm" and account.get("has_expansion_signal"):
            reasons.append("expansion signal")
        components = {
            "low usage": account["usage_score"], "support load": account["support_score"],
            "little engagement": account["engagement_score"], "payment overdue": account["payment_score"],
            "weak relationship (NPS)": account["relationship_score"],
        }
        weak = sorted((float(v), k) for k, v in components.items() if v is not None and float(v) < 60)
        reasons += [f"{name} ({score:.0f})" for score, name in weak[:2]]
        if account.get("escalated_cases_90d"):
            reasons.append(f"{account['escalated_cases_90d']} escalated case(s) in 90 days")
        if account["routing_action"] == "onboarding":
            reasons.append("not at first value yet")
        return "; ".join(reasons) or f"health {float(account['health_score']):.0f}"

    def scorecard(self) -> None:
        higher_is_better = {
            r["metric"]: str(r["is_higher_better"]).lower() in ("true", "1")
            for r in self.wh.rows("select distinct metric, is_higher_better from {cs_benchmark_bands}")
        }
        rows = self.wh.rows(
            "select s.metric, s.cadence, s.period_start, s.segment, s.value, s.benchmark_low, s.benchmark_high, "
            "s.status from {mart_cs_scorecard} as s inner join ("
            "select metric, max(period_start) as period_start from {mart_cs_scorecard} group by metric"
            ") as latest on s.metric = latest.metric and s.period_start = latest.period_start "
            "order by s.cadence desc, s.metric, s.segment"
        )
        percent_metrics = {"nrr_t12m", "grr_t12m", "logo_churn_rate", "csat", "escalation_rate",
                           "red_account_share", "green_account_share"}

        def show(metric: str, value: object) -> str:
            if value is None:
                return "-"
            return fmt_pct(value) if metric in percent_metrics else f"{float(value):,.1f}"

        def reading(metric: str, status: str | None) -> str:
            """Status colour: within the band is fine; outside it good or bad by the metric's direction."""
            if status in (None, "within"):
                return "ok" if status else "none"
            better = higher_is_better.get(metric, True)
            return "good" if (status == "above") == better else "bad"

        body = []
        for r in rows:
            low, high = r["benchmark_low"], r["benchmark_high"]
            if low is None:
                band = f"at most {show(r['metric'], high)}"
            elif high is None:
                band = f"at least {show(r['metric'], low)}"
            else:
                band = f"{show(r['metric'], low)} to {show(r['metric'], high)}"
            body.append([
                escape(r["metric"]), escape("leading" if r["cadence"] == "weekly" else "lagging"),
                escape(str(r["period_start"])), escape(SEGMENT_LABELS.get(r["segment"], r["segment"])),
                escape(show(r["metric"], r["value"])), escape(band),
                f'<span class="status {reading(r["metric"], r["status"])}">{escape(str(r["status"] or "no value"))}'
                f"</span>",
            ])
        statuses = sorted({str(r["status"]) for r in rows if r["status"]})
        self.sections.append(Section(
            "scorecard", "Leading and lagging scorecard",
            "Latest period of every scorecard metric against its benchmark band (seeds/cs_benchmark_bands.csv). "
            "Green: within the band; blue: outside it on the good side; red: outside it on the bad side. "
            "Statuses present: " + ", ".join(statuses) + ".",
            tables=[table(["metric", "kind", "period", "segment", "value", "band", "status"], body,
                          css="scorecard", raw=True)],
        ))

    def build(self) -> list[Section]:
        steps: list[Callable[[], None]] = [
            self.revenue_bridge, self.mrr_trend, self.retention, self.churn_and_renewals, self.time_to_value,
            self.onboarding, self.pipeline, self.experience, self.health, self.scorecard,
        ]
        for step in steps:
            step()
        return self.sections


STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#0f172a;background:#f8fafc}
header{background:#0f172a;color:#f8fafc;padding:18px 28px}header h1{margin:0 0 4px;font-size:22px}
header p{margin:0;color:#cbd5e1;font-size:13px}nav{padding:8px 28px;background:#e2e8f0;font-size:13px}
nav a{margin-right:14px;color:#1e3a8a}main{padding:0 28px 40px;max-width:1560px}
section{margin-top:26px}section h2{font-size:19px;margin:0 0 4px}section>p{margin:0 0 10px;color:#334155;font-size:14px}
.grid{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:16px}
@media (max-width:900px){.grid{grid-template-columns:1fr}}
figure{margin:0;background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:12px 14px}
figure h3,section h3{font-size:15px;margin:0 0 2px}section>h3{margin:20px 0 4px}
.units{font-size:12px;color:#64748b;margin:0 0 6px}
figcaption{font-size:12px;color:#475569;margin-top:6px}figcaption a{color:#1d4ed8}
svg.chart{width:100%;height:auto;display:block}.grid line.grid,svg .grid{stroke:#e2e8f0;stroke-width:1}
svg .axis{stroke:#94a3b8}svg .tick,svg .legend{font-size:11px;fill:#475569}svg .value{font-size:10px;fill:#0f172a}
svg .note{font-size:10px;fill:#64748b}svg .cell{font-size:10px;fill:#0f172a}
svg .band{fill:#16a34a;fill-opacity:.12;stroke:#16a34a;stroke-opacity:.4;stroke-dasharray:4 3}
table{border-collapse:collapse;background:#fff;font-size:13px;width:100%;margin-top:6px}
th,td{border-bottom:1px solid #e2e8f0;padding:5px 8px;text-align:left}th{background:#f1f5f9}
.pill{display:inline-block;min-width:26px;text-align:center;border-radius:10px;padding:1px 6px;color:#fff}
.pill.red{background:#dc2626}.pill.yellow{background:#ca8a04}.pill.green{background:#16a34a}
.status{display:inline-block;border-radius:4px;padding:1px 8px;font-weight:600}
.status.ok{background:#dcfce7;color:#166534}.status.good{background:#dbeafe;color:#1e40af}
.status.bad{background:#fee2e2;color:#991b1b}
footer{font-size:12px;color:#64748b;padding:12px 28px}
"""


def render(sections: Sequence[Section], *, source: str, latest_month: dt.date, docs: dict[str, str],
           docs_href: str | None) -> str:
    """The whole page as one HTML string (inline CSS and SVG, no script, no external resource)."""
    generated = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    nav = "".join(f'<a href="#{s.anchor}">{escape(s.title)}</a>' for s in sections)
    body = []
    for section in sections:
        figures = []
        for chart in section.charts:
            definition = docs.get(chart.doc, "")
            link = (
                f'<a href="{docs_href}#!/model/model.cs_revenue_analytics.{chart.model}">docs: {escape(chart.doc)}</a>'
                if docs_href else f"docs block <code>{escape(chart.doc)}</code>"
            )
            note = f"<br>{escape(chart.note)}" if chart.note else ""
            figures.append(
                f'<figure data-chart="{escape(chart.title)}"><h3>{escape(chart.title)}</h3>'
                f'<p class="units">Units: {escape(chart.units)}</p>{chart.svg}'
                f"<figcaption>{escape(definition)} ({link}){note}</figcaption></figure>"
            )
        body.append(
            f'<section id="{section.anchor}"><h2>{escape(section.title)}</h2><p>{escape(section.intro)}</p>'
            + (f'<div class="grid">{"".join(figures)}</div>' if figures else "")
            + "".join(section.tables)
            + "</section>"
        )
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>CS revenue report, {month_label(latest_month)}</title><style>{STYLE}</style></head><body>"
        f"<header><h1>Customer-success revenue report</h1><p>Latest complete month {month_label(latest_month)}"
        f" &middot; source {escape(source)} &middot; generated {generated}</p></header>"
        f"<nav>{nav}</nav><main>{''.join(body)}</main>"
        "<footer>Built by <code>csra report</code> from the published marts of cs_revenue_analytics "
        "(definitions: models/_docs). Self-contained: no script, no network.</footer></body></html>"
    )


def build_report(warehouse: Warehouse, out_dir: Path) -> Path:
    """Write out_dir/index.html (and out_dir/docs/index.html when the static docs site exists)."""
    builder = ReportBuilder(warehouse)
    sections = builder.build()
    out_dir.mkdir(parents=True, exist_ok=True)
    static_docs = PROJECT_DIR / "target" / "static_index.html"
    docs_href = None
    if static_docs.exists():
        (out_dir / "docs").mkdir(exist_ok=True)
        shutil.copyfile(static_docs, out_dir / "docs" / "index.html")
        docs_href = "docs/index.html"
    page = render(sections, source=warehouse.label, latest_month=builder.latest_month, docs=builder.docs,
                  docs_href=docs_href)
    path = out_dir / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
