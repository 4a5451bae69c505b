"""Knobs of the synthetic sample company, as frozen dataclasses.

Every rate, probability and threshold of the generator lives here: per
segment in the SegmentConfig constants, the rest in GeneratorConfig and its
parts (AccountsConfig, BillingConfig, CrmConfig, UsageConfig, SurveyConfig,
InvoiceConfig), so tests can compare what the generator produced with what it
was asked to produce (segment mix, monthly churn, ...). Rates are per account
per month unless the name says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SEGMENTS: tuple[str, ...] = ("smb", "mid_market", "enterprise")
TIERS: tuple[str, ...] = ("starter", "growth", "enterprise")
REGIONS: tuple[str, ...] = ("na", "emea", "apac", "latam")
BILLING_PERIODS: tuple[int, ...] = (1, 3, 6, 12)


@dataclass(frozen=True)
class SegmentConfig:
    """How one customer segment buys, grows, shrinks and leaves."""

    name: str
    share: float  # share of all accounts
    monthly_churn: float  # logo churn hazard per month (before TTV/usage multipliers)
    seats_median: float  # licensed seats at signing (lognormal median)
    seats_sigma: float
    seats_min: int
    seats_max: int
    tier_mix: tuple[float, float, float]  # starter, growth, enterprise at signing
    period_mix: tuple[float, float, float, float]  # billing months 1, 3, 6, 12
    flat_share: float  # share signing a flat-priced plan
    price_spread: float  # negotiated price factor is uniform in 1 +- spread
    trial_share: float  # share starting with a free trial
    trial_conversion: float  # share of trials that convert to paid
    first_year_discount_share: float
    seat_up_rate: float  # seat-up hazard with all seat headroom left and every seat in use
    seat_headroom: float  # addressable seats above the signed count (lognormal median, x signed seats)
    seat_headroom_sigma: float
    seat_down_rate: float
    upgrade_rate: float
    downgrade_rate: float
    discount_change_rate: float
    correction_rate: float  # short corrective phase inside one month
    pause_rate: float
    addon_rate: float
    addon_removal_rate: float
    reactivation_rate: float  # per month for churned accounts, months 2-24 after churn
    ttv_median_days: float
    never_value_share: float
    second_customer_share: float
    csm_coverage: float  # share of accounts with a named CSM
    accounts_per_csm: int
    event_weight: float  # relative product activity per active seat
    activities_per_month: float
    cases_per_month: float
    nps_per_month: float  # relationship NPS responses per active account-month
    net_days: int  # invoice payment terms


SMB = SegmentConfig(
    name="smb",
    share=0.70,
    monthly_churn=0.030,
    seats_median=8,
    seats_sigma=0.6,
    seats_min=1,
    seats_max=60,
    tier_mix=(0.65, 0.35, 0.0),
    period_mix=(0.75, 0.0, 0.0, 0.25),
    flat_share=0.15,
    price_spread=0.0,
    trial_share=0.55,
    trial_conversion=0.82,
    first_year_discount_share=0.10,
    seat_up_rate=0.025,
    seat_headroom=2.5,
    seat_headroom_sigma=0.5,
    seat_down_rate=0.015,
    upgrade_rate=0.008,
    downgrade_rate=0.003,
    discount_change_rate=0.004,
    correction_rate=0.006,
    pause_rate=0.004,
    addon_rate=0.004,
    addon_removal_rate=0.02,
    reactivation_rate=0.012,
    ttv_median_days=20,
    never_value_share=0.12,
    second_customer_share=0.01,
    csm_coverage=0.75,
    accounts_per_csm=250,
    event_weight=1.0,
    activities_per_month=0.3,
    cases_per_month=0.15,
    nps_per_month=0.04,
    net_days=14,
)

MID_MARKET = SegmentConfig(
    name="mid_market",
    share=0.22,
    monthly_churn=0.015,
    seats_median=40,
    seats_sigma=0.55,
    seats_min=10,
    seats_max=300,
    tier_mix=(0.15, 0.65, 0.20),
    period_mix=(0.30, 0.20, 0.0, 0.50),
    flat_share=0.10,
    price_spread=0.08,
    trial_share=0.30,
    trial_conversion=0.85,
    first_year_discount_share=0.35,
    seat_up_rate=0.035,
    seat_headroom=2.25,
    seat_headroom_sigma=0.5,
    seat_down_rate=0.012,
    upgrade_rate=0.008,
    downgrade_rate=0.002,
    discount_change_rate=0.005,
    correction_rate=0.006,
    pause_rate=0.002,
    addon_rate=0.008,
    addon_removal_rate=0.015,
    reactivation_rate=0.010,
    ttv_median_days=30,
    never_value_share=0.09,
    second_customer_share=0.03,
    csm_coverage=1.0,
    accounts_per_csm=40,
    event_weight=1.0,
    activities_per_month=2.0,
    cases_per_month=0.5,
    nps_per_month=0.06,
    net_days=30,
)

ENTERPRISE = SegmentConfig(
    name="enterprise",
    share=0.08,
    monthly_churn=0.006,
    seats_median=250,
    seats_sigma=0.6,
    seats_min=60,
    seats_max=3000,
    tier_mix=(0.0, 0.25, 0.75),
    period_mix=(0.0, 0.10, 0.10, 0.80),
    flat_share=0.0,
    price_spread=0.15,
    trial_share=0.10,
    trial_conversion=0.90,
    first_year_discount_share=0.40,
    seat_up_rate=0.040,
    seat_headroom=2.0,
    seat_headroom_sigma=0.5,
    seat_down_rate=0.010,
    upgrade_rate=0.006,
    downgrade_rate=0.002,
    discount_change_rate=0.006,
    correction_rate=0.005,
    pause_rate=0.0,
    addon_rate=0.010,
    addon_removal_rate=0.010,
    reactivation_rate=0.008,
    ttv_median_days=42,
    never_value_share=0.06,
    second_customer_share=0.10,
    csm_coverage=1.0,
    accounts_per_csm=12,
    event_weight=1.0,
    activities_per_month=6.0,
    cases_per_month=1.5,
    nps_per_month=0.12,
    net_days=45,
)


@dataclass(frozen=True)
class CurrencyConfig:
    """A billing currency: its price list multiplier and its USD rate walk."""

    code: str
    price_multiplier: float  # local list price = USD list price x this
    usd_per_unit_start: float  # fx rate on the first generated day (ignored for USD)
    daily_volatility: float  # std-dev of the daily log-return


# USD is the reporting currency: it is NOT written to fx_rates (the contract
# says "USD itself may be absent (rate 1)").
CURRENCIES: tuple[CurrencyConfig, ...] = (
    CurrencyConfig("USD", 1.00, 1.0, 0.0),
    CurrencyConfig("EUR", 0.95, 1.08, 0.004),
    CurrencyConfig("GBP", 0.80, 1.27, 0.004),
    CurrencyConfig("CAD", 1.35, 0.74, 0.003),
    CurrencyConfig("AUD", 1.50, 0.66, 0.005),
)

# Billed only with --with-jpy or --billing-format stripe (stripe.with_jpy), so
# the default company is unchanged.
JPY = CurrencyConfig("JPY", 150.0, 0.0067, 0.004)

# Billing currency by region (shares over CURRENCIES, in the same order).
REGION_MIX: tuple[float, ...] = (0.50, 0.30, 0.13, 0.07)
REGION_CURRENCY_MIX: dict[str, tuple[float, ...]] = {
    "na": (0.88, 0.0, 0.0, 0.12, 0.0),
    "emea": (0.10, 0.55, 0.35, 0.0, 0.0),
    "apac": (0.45, 0.0, 0.0, 0.0, 0.55),
    "latam": (1.0, 0.0, 0.0, 0.0, 0.0),
}


@dataclass(frozen=True)
class PlanConfig:
    """One price-book entry. Monthly USD list price is per seat or flat."""

    plan_id: str
    plan_name: str
    tier: str  # starter, growth, enterprise, addon
    billing_period_months: int
    pricing_model: str  # per_seat or flat
    monthly_usd: float


# Longer commitments get a lower monthly-equivalent list price.
PERIOD_DISCOUNT: dict[int, float] = {1: 1.0, 3: 1.0, 6: 0.95, 12: 0.90}

PLANS: tuple[PlanConfig, ...] = (
    PlanConfig("starter_monthly", "Starter (monthly)", "starter", 1, "per_seat", 25.0),
    PlanConfig("starter_annual", "Starter (annual)", "starter", 12, "per_seat", 25.0),
    PlanConfig("starter_flat_monthly", "Starter Team (monthly, flat)", "starter", 1, "flat", 199.0),
    PlanConfig("growth_monthly", "Growth (monthly)", "growth", 1, "per_seat", 49.0),
    PlanConfig("growth_quarterly", "Growth (quarterly)", "growth", 3, "per_seat", 49.0),
    PlanConfig("growth_annual", "Growth (annual)", "growth", 12, "per_seat", 49.0),
    PlanConfig("growth_flat_annual", "Growth Business (annual, flat)", "growth", 12, "flat", 899.0),
    PlanConfig("enterprise_quarterly", "Enterprise (quarterly)", "enterprise", 3, "per_seat", 89.0),
    PlanConfig("enterprise_semiannual", "Enterprise (semi-annual)", "enterprise", 6, "per_seat", 89.0),
    PlanConfig("enterprise_annual", "Enterprise (annual)", "enterprise", 12, "per_seat", 89.0),
    PlanConfig("addon_sso_monthly", "SSO add-on (monthly)", "addon", 1, "flat", 150.0),
    PlanConfig("addon_analytics_monthly", "Advanced analytics add-on (monthly)", "addon", 1, "per_seat", 10.0),
    PlanConfig("addon_premium_support_annual", "Premium support add-on (annual)", "addon", 12, "flat", 500.0),
)


@dataclass(frozen=True)
class FeatureConfig:
    feature_key: str
    feature_name: str
    min_tier: str
    is_core_workflow: bool
    popularity: int  # relative weight when an event picks a feature


FEATURES: tuple[FeatureConfig, ...] = (
    FeatureConfig("dashboards", "Dashboards", "starter", False, 10),
    FeatureConfig("reports", "Reports", "starter", False, 8),
    FeatureConfig("data_import", "Data import", "starter", False, 4),
    FeatureConfig("alerts", "Alerts", "starter", False, 5),
    FeatureConfig("mobile_app", "Mobile app", "starter", False, 3),
    FeatureConfig("basic_integrations", "Basic integrations", "starter", False, 4),
    FeatureConfig("workflow_builder", "Workflow builder", "starter", True, 6),
    FeatureConfig("report_scheduler", "Scheduled reports", "starter", True, 4),
    FeatureConfig("advanced_reports", "Advanced reports", "growth", False, 5),
    FeatureConfig("api_access", "API access", "growth", False, 3),
    FeatureConfig("custom_fields", "Custom fields", "growth", False, 3),
    FeatureConfig("crm_sync", "CRM sync", "growth", False, 4),
    FeatureConfig("forecasting", "Forecasting", "growth", False, 3),
    FeatureConfig("playbook_automation", "Playbook automation", "growth", True, 4),
    FeatureConfig("audit_log", "Audit log", "enterprise", False, 2),
    FeatureConfig("sandbox", "Sandbox environments", "enterprise", False, 2),
    FeatureConfig("custom_roles", "Custom roles", "enterprise", False, 2),
    FeatureConfig("warehouse_sync", "Data warehouse sync", "enterprise", False, 3),
    FeatureConfig("ai_assistant", "AI assistant", "enterprise", False, 3),
    FeatureConfig("governance_workflows", "Governance workflows", "enterprise", True, 2),
)


@dataclass(frozen=True)
class AccountsConfig:
    """Latent truths drawn once per account, beyond the per-segment rates (csra/generator/accounts.py)."""

    trial_days: tuple[int, ...] = (14, 14, 21, 30)  # drawn uniformly from these
    sign_lead_days_trial: tuple[int, int] = (0, 4)  # contract signed this long before the paid start
    sign_lead_days_sales: tuple[int, int] = (0, 15)  # ... without a trial
    # First-year discounts: mostly round numbers, some negotiated to the cent.
    first_year_round_share: float = 0.7
    first_year_round_pcts: tuple[float, ...] = (5.0, 10.0, 15.0, 20.0, 25.0)
    first_year_odd_pct: tuple[float, float] = (5.0, 30.0)
    pilot_share: float = 0.004  # of accounts without a trial: start with a free pilot
    utilization_beta: tuple[float, float] = (4.0, 2.2)  # share of licensed seats active (beta a, b)
    utilization_floor: float = 0.08
    ttv_sigma: float = 0.75  # of log time-to-value days around the segment's median
    value_in_trial_share: float = 0.35  # trials that reach value before they sign
    # Churn multiplier by time-to-value bucket: 0-30, 31-60, 61-90, >90 days, never.
    ttv_bucket_edges_days: tuple[float, ...] = (30.5, 60.5, 90.5)
    ttv_bucket_churn: tuple[float, ...] = (0.55, 0.9, 1.3, 1.7, 2.6)
    churn_noise_sigma: float = 0.3  # lognormal noise on the churn multiplier
    high_utilization_churn_multiplier: float = 0.8  # above GeneratorConfig.high_utilization
    seat_headroom_cap: float = 3.0  # addressable seats above the signed count, at most x signed seats


@dataclass(frozen=True)
class BillingConfig:
    """How running subscriptions move, beyond the per-segment rates (csra/generator/billing.py).

    Ranges are (low, high) of a uniform draw; day and seat ranges are
    integer draws whose high end is excluded.
    """

    churn_hazard_cap: float = 0.5  # monthly churn hazard after the account's multiplier, at most
    seat_floor_divisor: int = 2  # seats never fall below the segment's seats_min // this (and 1)
    seat_up_high_utilization_multiplier: float = 2.5  # above GeneratorConfig.high_utilization
    upgrade_ceiling_multiplier: float = 3.0  # accounts pushing against their tier upgrade faster
    # Seat need: none below 30 % utilisation, full from 70 % (start + span).
    seat_need_start: float = 0.3
    seat_need_span: float = 0.4
    # A seat-up is one new team: a share of the seats still addressable, at
    # most a share of the seats licensed and of the segment's median account.
    seat_up_headroom_share: tuple[float, float] = (0.2, 0.6)
    seat_up_team_share: float = 0.4
    seat_down_share: tuple[float, float] = (0.1, 0.3)  # of the seats licensed
    # On billing periods longer than a month, this share of the churn hazard
    # stops the subscription mid-period; the rest waits for the period's end.
    midterm_churn_share: float = 0.1
    cancel_notice_days: tuple[int, int] = (0, 26)  # cancellation recorded this long before the stop
    trial_cancel_notice_days: tuple[int, int] = (0, 4)
    cancel_reason_missing_every: int = 9  # one cancellation in this many has no reason recorded
    pause_max_period_months: int = 3  # only monthly and quarterly subscriptions pause
    pause_resume_rate: float = 0.45  # per month while paused
    pause_max_months: int = 4  # a pause resumes at the latest this many months later
    win_back_months: tuple[int, int] = (2, 24)  # reactivation_rate applies this many months after churn
    win_back_new_customer_share: float = 0.2  # win-backs billed to a new customer (a new entity)
    win_back_downgrade_share: float = 0.3  # win-backs that come back one tier lower
    win_back_seats_kept: tuple[float, float] = (0.5, 1.0)  # share of the seats they had
    pilot_days: tuple[int, int] = (30, 62)  # free pilot (100 % discount) length
    # New discounts: round percentages, or an odd one (two decimals) otherwise.
    discount_round_share: float = 0.6
    discount_round_pcts: tuple[float, ...] = (5.0, 10.0, 15.0, 20.0, 25.0, 30.0)
    discount_odd_pct: tuple[float, float] = (3.0, 30.0)
    renewal_uplift_share: float = 0.3  # yearly renewals whose list price goes up
    renewal_uplift: tuple[float, float] = (1.03, 1.08)  # price factor of such an uplift
    correction_extra_seats: tuple[int, int] = (1, 6)  # a corrective phase's wrong seat count, above the right one
    correction_discount_points: float = 10.0  # ... or, on flat plans, its wrong discount
    # Second customers (a subsidiary paying for part of the account).
    second_customer_delay_days: tuple[int, int] = (30, 241)  # after the account's first paid start
    second_customer_other_currency_share: float = 0.5
    second_customer_monthly_share: float = 0.6  # the others bill annually
    second_customer_seat_share: tuple[float, float] = (0.1, 0.4)  # of the account's signed seats
    second_customer_notice_days: tuple[int, int] = (0, 11)


@dataclass(frozen=True)
class UsageConfig:
    """How product usage ramps up and falls before a stop (timeline.py, product.py)."""

    decline_before_stop: tuple[float, ...] = (0.35, 0.55, 0.75)  # usage in the stop month, 1 and 2 before
    ramp_before_value: float = 0.5  # usage in months that end before first value
    ramp_after_value: float = 0.8  # ... and in months that end within ramp_days of it
    ramp_days: int = 30
    users_exponent: float = 0.9  # events grow a little less than linearly with active users
    # Event mix (the rest is feature_used); shares are applied in thousandths.
    session_start_share: float = 0.35
    workflow_completed_share: float = 0.12
    weekend_moved_share: float = 0.7  # weekend events moved to a weekday (applied in tenths)
    user_skew_exponent: float = 1.25  # > 1: a few users of an account make most of its events


@dataclass(frozen=True)
class InvoiceConfig:
    """How invoices are paid (tables.write_invoices); shares are applied in the hash's resolution."""

    paid_on_time_share: float = 0.85  # paid within the payment terms (hundredths); the rest late
    late_payment_max_days: int = 60  # after the terms
    draft_days: int = 2  # invoices of the window's last days may still be drafts ...
    draft_share: float = 0.5  # ... this share of them (thousandths)
    void_share: float = 0.008  # (thousandths)
    at_risk_days: int = 75  # a period starting less than this before a cancellation is at risk ...
    at_risk_unpaid_share: float = 0.3  # ... and left unpaid this often (thousandths)
    at_risk_uncollectible_after_days: int = 30  # unpaid at-risk invoices this long past due are uncollectible
    uncollectible_share: float = 0.005  # of the others (thousandths) ...
    uncollectible_after_days: int = 60  # ... once this long past due


@dataclass(frozen=True)
class SurveyConfig:
    """Who answers which survey and how scores follow churn risk (survey.py)."""

    follow_up_min_delay_days: float = 0.05  # a follow-up survey is answered this long after the touchpoint at least
    # Share of completed onboardings, resolved cases and QBRs followed by each survey, and the latest answer day.
    onboarding_csat_share: float = 0.4
    onboarding_ces_share: float = 0.2
    onboarding_max_delay_days: float = 7
    support_csat_share: float = 0.3
    support_ces_share: float = 0.12
    support_max_delay_days: float = 3
    qbr_nps_share: float = 0.25
    qbr_csat_share: float = 0.15
    qbr_max_delay_days: float = 5
    # Risk 0-1: the account's churn multiplier above an offset, scaled and
    # capped, plus a weight on how near its activity stops (0, 1, 2 months).
    risk_churn_offset: float = 0.6
    risk_churn_scale: float = 3.0
    risk_churn_cap: float = 0.35
    risk_near_stop: tuple[float, float, float] = (1.0, 0.8, 0.5)
    risk_near_stop_weight: float = 0.65
    # Scores: base, change at full risk, noise sd (rounded and clipped to the scale).
    nps_score: tuple[float, float, float] = (8.4, -3.8, 1.6)
    csat_score: tuple[float, float, float] = (4.45, -2.0, 0.7)
    ces_score: tuple[float, float, float] = (2.2, 3.0, 1.0)
    contacts_per_account: int = 4  # people who answer surveys for an account
    comment_share_negative: float = 0.55  # responses with a comment, negative sentiment
    comment_share_other: float = 0.3


@dataclass(frozen=True)
class CrmConfig:
    """CRM rates beyond the per-segment ones (csra/generator/crm.py).

    Tuples of three are by segment (smb, mid-market, enterprise); mixes are
    shares over crm.ORIGINS, crm.STAGES (first four), crm.PRIORITIES or
    crm.ACTIVITY_TYPES, in their order; (low, high) pairs are uniform draws,
    "_at" pairs the fraction of the way from creation to close.
    """

    # Users
    accounts_per_ae: tuple[int, int, int] = (400, 80, 25)
    accounts_per_sdr: int = 500
    users_per_manager: int = 8
    accounts_per_other_user: int = 5000  # RevOps and support operations, beyond two
    user_active_share: float = 0.92
    no_ae_share: float = 0.03  # accounts without an AE
    # Contracts
    renewal_signed_early_share: float = 0.9  # renewals signed before the term starts (else a little after)
    renewal_start_jitter_share: float = 0.2  # renewal terms that start a few days off the anniversary
    expansion_paper_share: tuple[float, float, float] = (0.15, 0.7, 0.9)  # expansions with an order form
    # Opportunities
    sales_cycle_days: tuple[tuple[int, int], ...] = ((7, 45), (20, 90), (45, 150))
    cs_owner_share: float = 0.15  # CS-sourced opportunities the CSM owns (else the AE)
    win_back_cs_share: float = 0.4  # win-back new business sourced by CS (else sales)
    new_business_origin_mix: tuple[float, ...] = (0.0, 0.45, 0.30, 0.10, 0.15)
    new_business_qualified_at: tuple[float, float] = (0.15, 0.6)
    lost_trial_qualified_share: float = 0.4
    lost_trial_qualified_at: tuple[float, float] = (0.1, 0.5)
    open_trial_stage_mix: tuple[float, ...] = (0.0, 0.3, 0.45, 0.25)
    open_trial_qualified_share: float = 0.9
    open_trial_qualified_at: tuple[float, float] = (0.05, 0.5)
    trial_origin_mix: tuple[float, ...] = (0.0, 0.3, 0.35, 0.05, 0.30)
    open_renewal_stage_mix: tuple[float, ...] = (0.1, 0.2, 0.4, 0.3)
    renewal_cs_share: float = 0.75  # renewals sourced by CS (else sales)
    renewal_qbr_signal_share: float = 0.2  # of CS-sourced renewals
    renewal_qualified_share: float = 0.9
    renewal_qualified_at: tuple[float, float] = (0.05, 0.4)
    expansion_opportunity_share: tuple[float, float, float] = (0.45, 0.75, 0.85)  # expansions with a won opportunity
    # Seat-ups of highly utilised accounts: CS sources half, and half of those cite seat utilisation.
    high_utilization_cs_share: float = 0.5
    seat_utilization_signal_share: float = 0.5
    feature_ceiling_signal_share: float = 0.6  # CS-sourced upgrades of ceiling accounts
    expansion_origin_mix: tuple[float, ...] = (0.50, 0.30, 0.07, 0.06, 0.07)
    expansion_amount_spread: tuple[float, float] = (0.85, 1.15)  # opportunity ARR vs the real expansion
    expansion_qualified_share: float = 0.92
    expansion_qualified_at: tuple[float, float] = (0.1, 0.6)
    # Expansion opportunities lost or still open: in random active months, weighted to larger accounts.
    lost_open_expansion_weight: tuple[float, float, float] = (1.0, 4.0, 10.0)
    lost_expansions_per_won: float = 0.4
    open_expansions_per_active_account: float = 0.05
    open_expansion_recent_months: int = 5  # open ones were created in the window's last months
    open_expansion_stage_mix: tuple[float, ...] = (0.35, 0.25, 0.25, 0.15)
    late_lost_expansion_stage_mix: tuple[float, ...] = (0.2, 0.3, 0.3, 0.2)  # would close after the window
    lost_expansion_qualified_share: float = 0.5
    open_expansion_qualified_share: float = 0.88
    lost_open_expansion_qualified_at: tuple[float, float] = (0.05, 0.5)
    lost_open_expansion_origin_mix: tuple[float, ...] = (0.45, 0.35, 0.08, 0.06, 0.06)
    lost_open_expansion_arr_share: tuple[float, float] = (0.1, 0.4)  # of the account's ARR ...
    lost_open_expansion_arr_floor: float = 1200  # ... plus this
    # Signals by origin: (signal, share); None is no signal.
    signal_mix: dict[str, tuple[tuple[str | None, float], ...]] = field(default_factory=lambda: {
        "cs": (("seat_utilization", 0.33), ("feature_ceiling", 0.2), ("new_persona", 0.15), ("qbr", 0.2),
               ("other", 0.06), (None, 0.06)),
        "sales": (("inbound", 0.3), ("new_persona", 0.1), ("other", 0.2), (None, 0.4)),
        "marketing": (("inbound", 0.8), (None, 0.2)),
        "partner": (("other", 0.5), (None, 0.5)),
        "self_serve": (("inbound", 0.4), (None, 0.6)),
    })
    # Onboarding milestones
    milestone_target_days: tuple[int, ...] = (7, 30, 45, 60)  # after signing, before the segment's scale
    milestone_target_scale: tuple[float, float, float] = (0.7, 1.0, 1.8)
    kickoff_never_share: float = 0.03
    integration_progress: tuple[float, float] = (0.3, 0.9)  # of the way from kickoff to first value
    integration_without_value_share: float = 0.55  # accounts that never reach value but integrate
    integration_without_value_days: tuple[float, float] = (30, 0.6)  # lognormal median days, sigma
    first_value_logged_on_time_share: float = 0.78
    first_value_logged_late_share: float = 0.45  # of the rest; the others never log it
    first_value_logged_late_days: tuple[float, float] = (1, 10)
    onboarding_complete_share: float = 0.85  # of accounts that reach value
    onboarding_complete_days: tuple[float, float] = (7, 45)  # after first value
    # Cases and activities
    near_stop_months: int = 2  # "near a stop": activity stops this month or within this many
    cases_near_stop_multiplier: float = 2.5
    case_priority_mix: tuple[float, ...] = (0.3, 0.45, 0.18, 0.07)
    case_priority_mix_near_stop: tuple[float, ...] = (0.2, 0.4, 0.25, 0.15)
    escalation_share: tuple[float, ...] = (0.01, 0.03, 0.12, 0.35)  # by priority
    escalation_near_stop_multiplier: float = 2.0
    first_response_hours: tuple[float, ...] = (18.0, 6.0, 2.0, 0.5)  # lognormal median by priority
    first_response_sigma: float = 1.0
    resolve_days: tuple[float, float] = (1.5, 1.2)  # lognormal median days after first response, sigma
    no_response_share: float = 0.02
    unresolved_share: float = 0.04
    activities_near_stop_multiplier: float = 0.6
    activity_mix: tuple[float, ...] = (0.0, 0.28, 0.45, 0.12, 0.0)  # QBRs and exec meetings are drawn apart
    exec_meeting_share: tuple[float, float, float] = (0.02, 0.05, 0.10)
    qbr_held_share: float = 0.85  # QBRs due that take place
    qbr_held_share_near_stop: float = 0.5
    exec_meeting_manager_share: float = 0.4  # exec meetings a CS manager holds


@dataclass(frozen=True)
class GeneratorConfig:
    """Everything the generator needs besides size, seed and window."""

    segments: tuple[SegmentConfig, ...] = (SMB, MID_MARKET, ENTERPRISE)
    currencies: tuple[CurrencyConfig, ...] = CURRENCIES
    plans: tuple[PlanConfig, ...] = PLANS
    features: tuple[FeatureConfig, ...] = FEATURES
    events_per_account: float = 1000.0  # average over the window, all accounts
    acquisition_growth: float = 1.0  # last month's sign-up rate = (1 + this) x the first's
    first_of_month_start_share: float = 0.25  # paid starts snapped to the 1st
    fx_lead_days: int = 31  # fx_rates start this many days before the window
    duplicate_event_share: float = 0.007  # redelivered events (same event_id)
    late_event_share: float = 0.015  # loaded days after they occurred
    above_tier_usage_share: float = 0.02  # feature events above the account's tier
    ceiling_account_share: float = 0.20  # accounts that push against their tier
    ceiling_above_tier_share: float = 0.12
    region_mix: tuple[float, ...] = REGION_MIX
    region_currency_mix: dict[str, tuple[float, ...]] = field(
        default_factory=lambda: dict(REGION_CURRENCY_MIX)
    )
    period_discount: dict[int, float] = field(default_factory=lambda: dict(PERIOD_DISCOUNT))
    # Seat utilisation above which accounts churn less, buy seats faster and
    # CS sources their expansions.
    high_utilization: float = 0.85
    fx_mean_reversion: float = 0.995  # daily persistence of an FX rate's log deviation from its start
    jpy_apac_share: float = 0.25  # APAC accounts billed in JPY with --with-jpy (taken from USD)
    accounts: AccountsConfig = AccountsConfig()
    billing: BillingConfig = BillingConfig()
    crm: CrmConfig = CrmConfig()
    usage: UsageConfig = UsageConfig()
    invoices: InvoiceConfig = InvoiceConfig()
    survey: SurveyConfig = SurveyConfig()

    def segment(self, name: str) -> SegmentConfig:
        return next(s for s in self.segments if s.name == name)


DEFAULT_CONFIG = GeneratorConfig()

# Convenience views for tests and docs.
SEGMENT_MIX: dict[str, float] = {s.name: s.share for s in DEFAULT_CONFIG.segments}
MONTHLY_CHURN: dict[str, float] = {s.name: s.monthly_churn for s in DEFAULT_CONFIG.segments}
