"""The demo journey, as recorded from the seeds, answers the questions the seeds can check."""

from __future__ import annotations

from datetime import date

from entrypoints.bootstrap import Services
from tests.factories import load_demo


def _grades(view: dict) -> dict[str, str]:
    grades = {a["area"]: a["grade"] for a in view["areas"]}
    if view["overall"]:
        grades["overall_effectiveness"] = view["overall"]["grade"]
    return grades


def test_judgements_as_of_2016_are_the_2015_inspections(services: Services) -> None:
    load_demo(services.ledger)
    view = services.views.judgements("lancashire", as_of=date(2016, 1, 1))
    assert view["inspection"]["published"] == "2015-11-27"
    assert _grades(view) == {
        "overall_effectiveness": "inadequate",
        "help_and_protection": "inadequate",
        "looked_after": "requires_improvement",
        "adoption": "requires_improvement",
        "care_leavers": "inadequate",
        "leadership": "inadequate",
        "lscb": "good",
    }
    assert all(a["direction"] is None for a in view["areas"])


def test_judgements_before_the_2018_report_is_published_are_still_2015s(services: Services) -> None:
    load_demo(services.ledger)
    # On 1 July 2018 inspectors had been on site, but judgements are in force from publication.
    view = services.views.judgements("lancashire", as_of=date(2018, 7, 1))
    assert view["inspection"]["ref"] == "sif-2015"
    assert view["overall"]["grade"] == "inadequate"


def test_judgements_as_of_september_2018_show_the_re_inspection_and_direction(
    services: Services,
) -> None:
    load_demo(services.ledger)
    view = services.views.judgements("lancashire", as_of=date(2018, 9, 1))
    assert view["inspection"]["ref"] == "sif-2018"
    grades = _grades(view)
    assert grades.pop("adoption") == "good"
    assert set(grades.values()) == {"requires_improvement"}
    by_area = {a["area"]: a for a in view["areas"]}
    assert view["overall"]["direction"] == "improved"
    assert view["overall"]["previous_grade"] == "inadequate"
    assert by_area["adoption"]["direction"] == "improved"
    assert by_area["looked_after"]["direction"] == "unchanged"
    assert "lscb" not in by_area  # not graded in 2018: the 2018 report supersedes 2015's


def test_demo_figures_match_the_monitoring_letter(services: Services) -> None:
    load_demo(services.ledger)
    indicators = {i["ref"]: i for i in services.views.indicators("lancashire")["indicators"]}
    cla = [r["value"] for r in indicators["children-looked-after"]["readings"]]
    assert cla == ["1577", "1853"]
    assert indicators["return-home-interviews"]["latest"]["value"] == "71"
    assert indicators["return-home-interviews"]["movement"] == "better"
    assert indicators["pathway-plans-up-to-date"]["latest"]["value"] == "94"
    assert indicators["care-leavers-in-touch"]["latest"]["value"] == "92"
    visit = services.views.latest("lancashire", "monitoring_visit")
    assert visit is not None and "uneven progress" in visit["summary"]


def test_demo_records_the_four_quoted_recommendations_and_the_investment(
    services: Services,
) -> None:
    load_demo(services.ledger)
    recs = services.views.recommendations("lancashire", as_of=date(2018, 9, 1))["recommendations"]
    assert len(recs) == 4
    assert all(r["actions"][0]["ref"] == "improvement-plan-2018" for r in recs)
    decisions = services.views.timeline("lancashire", kinds=["decision"])["entries"]
    investment = next(d for d in decisions if d["ref"] == "cabinet-2015-investment")
    assert investment["facts"]["investment"] == "5000000.00"


def test_every_demo_record_cites_a_seed_document(services: Services) -> None:
    load_demo(services.ledger)
    seeds = {
        "000_0930092153b91be3.txt",
        "001_bf4188600eabd18a.txt",
        "002_0f7c50e13dc0057d.txt",
        "003_408afd8628751ba3.txt",
        "004_fe15f71d82a0a1cc.txt",
    }
    sources = {logged.event.meta.source for logged in services.ledger.read_log()}
    assert sources <= seeds


def test_loading_the_demo_twice_changes_nothing(services: Services) -> None:
    load_demo(services.ledger)
    before = services.ledger.fingerprint()
    load_demo(services.ledger)
    assert services.ledger.fingerprint() == before
