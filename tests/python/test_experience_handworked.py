"""mart_experience on the hand-worked company of fixtures/health_handworked.py.

ARR of a response = 12 x the account's MRR at the end of the response month:
A1 and A4 12 x 1,000 = 12,000 (band 10k-50k), A2 12 x 30,000 = 360,000
(250k+), A5 12 x 2,000 = 24,000 (10k-50k). Books close 2025-06-20, so June
is incomplete: A1's NPS 0 of 2025-06-02 is not published yet.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import BuiltWarehouse, build_raw_company
from fixtures.health_handworked import AS_OF_DATE, raw_dataset


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltWarehouse]:
    folder = tmp_path_factory.mktemp("experience_handworked")
    yield build_raw_company(folder, raw_dataset(), ["+mart_experience"], AS_OF_DATE)


def _rows(built: BuiltWarehouse, month: str) -> dict[tuple[str, str, str, str], dict]:
    rows = built.dicts(
        "select * from marts.mart_experience where month_start = cast(? as date)",
        [month],
    )
    return {(row["survey_type"], row["touchpoint"], row["segment"], row["arr_band"]): row for row in rows}


def test_build_passes(built: BuiltWarehouse) -> None:
    assert built.outcome.success, built.outcome.failed()


def test_may_2025(built: BuiltWarehouse) -> None:
    rows = _rows(built, "2025-05-01")
    # NPS: only A1's 6 (a detractor) -> 100 x (0 - 1) = -100, weighted alike;
    # four rows: (smb, 10k-50k), (smb, all), (all, 10k-50k), (all, all)
    nps = {key: row for key, row in rows.items() if key[0] == "nps"}
    assert sorted((key[2], key[3]) for key in nps) == [
        ("all", "10k-50k"),
        ("all", "all"),
        ("smb", "10k-50k"),
        ("smb", "all"),
    ]
    for row in nps.values():
        assert (row["responses"], row["score"], row["score_arr_weighted"]) == (1, -100.0, -100.0)
        assert (row["nps_promoter_share"], row["nps_detractor_share"]) == (0.0, 1.0)

    # CSAT (support): A2 5 (360,000), A4 5 (12,000), A1 3 (12,000)
    csat = {(key[2], key[3]): row for key, row in rows.items() if key[0] == "csat"}
    assert all(key[1] == "support" for key in rows if key[0] == "csat")
    assert sorted(csat) == [
        ("all", "10k-50k"),
        ("all", "250k+"),
        ("all", "all"),
        ("enterprise", "250k+"),
        ("enterprise", "all"),
        ("smb", "10k-50k"),
        ("smb", "all"),
    ]
    # all/all: 2 of 3 satisfied; weighted (360,000 + 12,000) / 384,000 = 0.96875
    everyone = csat[("all", "all")]
    assert everyone["responses"] == 3
    assert everyone["score"] == pytest.approx(2 / 3, abs=1e-12)
    assert everyone["score_arr_weighted"] == 0.96875
    assert str(everyone["arr_weight_usd"]) == "384000.00"
    # smb: A4 5 and A1 3 with equal ARR -> 0.5 both ways
    for key in [("smb", "10k-50k"), ("smb", "all"), ("all", "10k-50k")]:
        assert (csat[key]["responses"], csat[key]["score"], csat[key]["score_arr_weighted"]) == (2, 0.5, 0.5)
    for key in [("enterprise", "250k+"), ("enterprise", "all"), ("all", "250k+")]:
        assert (csat[key]["responses"], csat[key]["score"], csat[key]["score_arr_weighted"]) == (1, 1.0, 1.0)
        assert csat[key]["ces_low_effort_share"] is None

    # CES (onboarding): A5's 2 -> mean 2, low-effort (1-3) share 1
    ces = {(key[2], key[3]): row for key, row in rows.items() if key[0] == "ces"}
    assert sorted(ces) == [("all", "10k-50k"), ("all", "all"), ("mid_market", "10k-50k"), ("mid_market", "all")]
    for row in ces.values():
        assert (row["score"], row["score_arr_weighted"], row["ces_low_effort_share"]) == (2.0, 2.0, 1.0)
        assert row["touchpoint"] == "onboarding"


def test_months_published(built: BuiltWarehouse) -> None:
    # Feb: A1 NPS 10 (4 rows); Mar: A4 NPS 9 (4 rows); May: 15 rows; June is
    # open on as_of_date 2025-06-20: nothing yet.
    counts = built.query(
        "select cast(month_start as varchar), count(*) from marts.mart_experience group by 1 order by 1"
    )
    assert counts == [("2025-02-01", 4), ("2025-03-01", 4), ("2025-05-01", 15)]
    (feb_all,) = built.query(
        "select score from marts.mart_experience where month_start = date '2025-02-01'"
        " and segment = 'all' and arr_band = 'all'"
    )
    assert feb_all == (100.0,)
