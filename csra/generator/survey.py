"""Survey responses: relationship NPS, onboarding / support / QBR CSAT and CES.

Scores fall with the account's churn risk (its churn multiplier) and sharply
in the months before its activity stops, so experience metrics lead churn.
"""

from __future__ import annotations

import numpy as np

from csra.generator.accounts import Accounts
from csra.generator.calendar import NULL_US, US_PER_DAY, Window
from csra.generator.config import GeneratorConfig, SurveyConfig
from csra.generator.crm import QBR, Crm
from csra.generator.names import (
    COMMENTS_NEGATIVE,
    COMMENTS_NEUTRAL,
    COMMENTS_POSITIVE,
    FIRST_NAMES,
    LAST_NAMES,
)
from csra.generator.timeline import Timeline, expand_cells, random_times_in_spans

SURVEY_TYPES = ("nps", "csat", "ces")
NPS, CSAT, CES = range(3)
TOUCHPOINTS = ("relationship", "onboarding", "support", "qbr")
RELATIONSHIP, ONBOARDING, SUPPORT, QBR_TOUCH = range(4)


def _follow_ups(
    rng: np.random.Generator,
    account: np.ndarray,
    at_us: np.ndarray,
    touchpoint: int,
    shares: tuple[tuple[int, float], ...],
    max_delay_days: float,
    min_delay_days: float,
) -> list[dict[str, np.ndarray]]:
    """Some touchpoints (onboarding, a resolved case, a QBR) are followed by a survey a few days later."""
    out = []
    for survey_type, share in shares:
        pick = rng.random(len(account)) < share
        delay = (rng.uniform(min_delay_days, max_delay_days, int(pick.sum())) * US_PER_DAY).astype(np.int64)
        out.append({
            "account": account[pick],
            "type": np.full(int(pick.sum()), survey_type),
            "touchpoint": np.full(int(pick.sum()), touchpoint),
            "responded_us": at_us[pick] + delay,
        })
    return out


def _scores(rng: np.random.Generator, survey_type: np.ndarray, risk: np.ndarray, knobs: SurveyConfig) -> np.ndarray:
    """Scores on each survey's scale: base, moved by risk, plus noise (one draw shared by the three)."""
    n = len(survey_type)
    noise = rng.standard_normal(n)

    def score(model: tuple[float, float, float]) -> np.ndarray:
        base, at_full_risk, noise_sd = model
        return np.round(base + at_full_risk * risk + noise_sd * noise)

    nps = np.clip(score(knobs.nps_score), 0, 10)
    csat = np.clip(score(knobs.csat_score), 1, 5)
    ces = np.clip(score(knobs.ces_score), 1, 7)
    return np.select([survey_type == NPS, survey_type == CSAT], [nps, csat], ces).astype(np.int64)


def build_responses(
    config: GeneratorConfig,
    acc: Accounts,
    timeline: Timeline,
    crm: Crm,
    window: Window,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    knobs = config.survey
    rate = np.array([s.nps_per_month for s in config.segments])[acc.segment][:, None]
    account, month = expand_cells(rng.poisson(rate * timeline.active_share))
    at = random_times_in_spans(rng, timeline.span_from[account, month], timeline.span_days[account, month])
    parts = [{
        "account": account,
        "type": np.full(len(account), NPS),
        "touchpoint": np.full(len(account), RELATIONSHIP),
        "responded_us": at,
    }]
    ms = crm.milestones
    done = (ms["milestone"] == 3) & (ms["completed_us"] != NULL_US)
    parts += _follow_ups(rng, ms["account"][done], ms["completed_us"][done], ONBOARDING,
                         ((CSAT, knobs.onboarding_csat_share), (CES, knobs.onboarding_ces_share)),
                         knobs.onboarding_max_delay_days, knobs.follow_up_min_delay_days)
    cases = crm.cases
    solved = cases["resolved_us"] != NULL_US
    parts += _follow_ups(rng, cases["account"][solved], cases["resolved_us"][solved], SUPPORT,
                         ((CSAT, knobs.support_csat_share), (CES, knobs.support_ces_share)),
                         knobs.support_max_delay_days, knobs.follow_up_min_delay_days)
    acts = crm.activities
    qbr = acts["kind"] == QBR
    parts += _follow_ups(rng, acts["account"][qbr], acts["occurred_us"][qbr], QBR_TOUCH,
                         ((NPS, knobs.qbr_nps_share), (CSAT, knobs.qbr_csat_share)),
                         knobs.qbr_max_delay_days, knobs.follow_up_min_delay_days)
    rows = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    keep = rows["responded_us"] < window.end_day * US_PER_DAY
    rows = {k: v[keep] for k, v in rows.items()}
    n = len(rows["account"])

    month = window.month_of(rows["responded_us"] // US_PER_DAY)
    to_end = timeline.months_to_end[rows["account"], month]
    near = np.select([to_end == 0, to_end == 1, to_end == 2], list(knobs.risk_near_stop), 0.0)
    churn_risk = (acc.churn_multiplier[rows["account"]] - knobs.risk_churn_offset) / knobs.risk_churn_scale
    base = np.clip(churn_risk, 0.0, knobs.risk_churn_cap)
    risk = np.clip(base + knobs.risk_near_stop_weight * near, 0.0, 1.0)
    score = _scores(rng, rows["type"], risk, knobs)

    # A few contacts per account; e-mail addresses look real but are synthetic.
    code = acc.name_code[rows["account"]]
    contact = rng.integers(0, knobs.contacts_per_account, n)
    first = np.array(FIRST_NAMES, dtype=object)[(code * 7 + contact * 13) % len(FIRST_NAMES)]
    last = np.array(LAST_NAMES, dtype=object)[(code * 11 + contact * 5) % len(LAST_NAMES)]

    sentiment = np.select(
        [rows["type"] == NPS, rows["type"] == CSAT],
        [np.digitize(score, [7, 9]), np.digitize(score, [3, 4])],
        2 - np.digitize(score, [3, 5]),
    )  # 0 negative, 1 neutral, 2 positive
    pools = [np.array(p, dtype=object) for p in (COMMENTS_NEGATIVE, COMMENTS_NEUTRAL, COMMENTS_POSITIVE)]
    pick = rng.integers(0, 1000, n)
    comment = np.empty(n, dtype=object)
    for s, pool in enumerate(pools):
        mask = sentiment == s
        comment[mask] = pool[pick[mask] % len(pool)]
    comment[rng.random(n) > np.where(sentiment == 0, knobs.comment_share_negative, knobs.comment_share_other)] = None

    order = np.lexsort((rows["type"], rows["account"], rows["responded_us"]))
    result = dict(rows)
    result.update(score=score, first=first, last=last, comment=comment)
    return {k: v[order] for k, v in result.items()}
