"""`import-ofsted`: Ofsted's outcome spreadsheets into the ledger, on SQLite and PostgreSQL.

The 2024 edition is read where it lies; later editions are written by the tests as real XLSX.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from config.reorganisations import load_reorganisations
from entrypoints.bootstrap import Services
from ledger.application.imports.editions import EditionRejected
from ledger.application.imports.ofsted import OfstedImportResult, import_ofsted
from ledger.domain.reorganisations import ReorganisationCatalogue
from tests.factories import load_demo
from tests.ofsted_editions import later_edition, overall_counts_in_sheet, row

RI = "Requires improvement to be good"


def ingest(services: Services, path: Path, **options: object) -> OfstedImportResult:
    reorganisations = options.pop("reorganisations", load_reorganisations())
    assert isinstance(reorganisations, ReorganisationCatalogue)
    return import_ofsted(services.ledger, path, reorganisations, "importer", **options)  # type: ignore[arg-type]


def current_authorities(services: Services) -> list[dict]:
    return [a for a in services.views.authorities() if not a["abolished"]]


def test_the_2024_edition_registers_153_authorities_with_the_sheets_own_grades(
    services: Services, edition_2024: Path
) -> None:
    result = ingest(services, edition_2024)
    assert result.authorities == 153
    authorities = current_authorities(services)
    assert len(authorities) == 153
    overall: Counter[str] = Counter()
    not_inspected = 0
    for authority in authorities:
        view = services.views.judgements(authority["slug"], as_of=date(2024, 6, 30))
        if view["overall"] is None:
            not_inspected += 1
        else:
            overall[view["overall"]["grade"]] += 1
    expected, expected_not_inspected = overall_counts_in_sheet(edition_2024)
    assert overall == expected
    assert not_inspected == expected_not_inspected == 2


def test_an_inspection_takes_its_framework_from_its_dates_and_its_areas_from_the_framework(
    services: Services, edition_2024: Path
) -> None:
    ingest(services, edition_2024)
    blackpool = services.views.judgements("blackpool")
    # Inspected in December 2022, published in February 2023: the 2018 framework, whose
    # combined judgement the sheet's "children in care" column gives; care leavers not graded.
    assert blackpool["inspection"]["framework"] == "ilacs-2018"
    assert blackpool["inspection"]["first_day"] == "2022-12-05"
    assert blackpool["inspection"]["published"] == "2023-02-01"  # from the history sheet
    assert blackpool["inspection"]["kind"] == "standard"
    assert {a["area"]: a["grade"] for a in blackpool["areas"]} == {
        "leaders": "requires_improvement",
        "help_and_protection": "requires_improvement",
        "in_care_and_care_leavers": "good",
    }
    # Its first ILACS inspection, from the history sheet, gives the direction of travel.
    assert blackpool["overall"]["previous_grade"] == "inadequate"
    assert blackpool["overall"]["direction"] == "improved"
    barnsley = services.views.judgements("barnsley")
    assert barnsley["inspection"]["framework"] == "ilacs-2023"
    assert barnsley["inspection"]["kind"] == "short"
    assert {a["area"] for a in barnsley["areas"]} == {
        "leaders",
        "help_and_protection",
        "in_care",
        "care_leavers",
    }


def test_names_spelt_otherwise_in_another_sheet_are_one_authority(
    services: Services, edition_2024: Path
) -> None:
    ingest(services, edition_2024)
    slugs = {a["slug"] for a in services.views.authorities()}
    # "Bedford" and "Bedford Borough", "Telford & Wrekin" and "Telford and Wrekin".
    assert {"bedford", "telford-and-wrekin", "bournemouth-christchurch-and-poole"} <= slugs
    assert not {"bedford-borough"} & slugs
    bedford = services.views.judgements("bedford")
    assert bedford["inspection"]["published"] == "2022-01-14"
    telford = services.views.authority("telford-and-wrekin")
    assert telford["name"] == "Telford & Wrekin"
    assert telford["region"] == "West Midlands"


def test_not_yet_inspected_records_no_inspection_and_reorganised_authorities_are_handled(
    services: Services, edition_2024: Path
) -> None:
    ingest(services, edition_2024)
    cumberland = services.views.judgements("cumberland")
    assert cumberland["inspection"] is None
    cumbria = services.views.authority("cumbria")
    assert cumbria["abolished"] == "2023-04-01"
    assert cumbria["successors"] == ["cumberland", "westmorland-and-furness"]
    # Its last inspection is kept, as it was in force until then.
    assert services.views.judgements("cumbria", as_of=date(2023, 3, 1))["overall"]["grade"] == (
        "requires_improvement"
    )
    northamptonshire = services.views.authority("northamptonshire")
    assert northamptonshire["successors"] == ["north-northamptonshire", "west-northamptonshire"]


def test_importing_the_same_edition_again_changes_nothing(
    services: Services, edition_2024: Path
) -> None:
    first = ingest(services, edition_2024)
    assert first.new_events > 0
    fingerprint = services.ledger.fingerprint()
    again = ingest(services, edition_2024)
    assert again.new_events == 0
    assert (again.registered, again.inspections, again.corrections) == (0, 0, 0)
    assert services.ledger.fingerprint() == fingerprint


def test_a_later_edition_revising_a_grade_records_a_correction_citing_it(
    services: Services, edition_2024: Path, tmp_path: Path
) -> None:
    ingest(services, edition_2024)
    before = services.views.judgements("barnet")
    assert before["overall"]["grade"] == "good"
    known_before = datetime.now(UTC)
    revised = later_edition(
        tmp_path / "outcomes-2025.xlsx",
        [
            # Barnet's 2019 inspection, its overall grade revised; its name in capitals.
            row(
                "BARNET",
                "E09000003",
                "London",
                date(2019, 5, 13),
                date(2019, 5, 24),
                date(2019, 7, 1),
                "ILACS Standard Inspection",
                RI,
                "Good",
                "Good",
                "Good",
                "",
            ),
            # Unchanged grades, now with an ONS code and the region spelt otherwise.
            row(
                "Barnsley",
                "E08000016",
                "North East, Yorkshire and The Humber",
                date(2023, 9, 11),
                None,
                date(2023, 10, 27),
                "ILACS Short Inspection",
                "Good",
                "Good",
                RI,
                "Good",
                "Good",
            ),
        ],
    )
    result = ingest(services, revised)
    assert result.inspections == 0  # a correction, not a duplicate inspection
    assert result.registered == 0
    # Barnet: its grade and its last day on site (new); both: their ONS codes.
    assert result.corrections == 3
    after = services.views.judgements("barnet")
    assert after["overall"]["grade"] == "requires_improvement"
    assert after["inspection"]["ref"] == before["inspection"]["ref"]
    assert after["inspection"]["last_day"] == "2019-05-24"
    entries = services.views.timeline("barnet")["entries"]
    assert [e["ref"] for e in entries if e["kind"] == "inspection"].count(
        before["inspection"]["ref"]
    ) == 1
    corrections = [e for e in entries if e.get("event") == "Corrected" or e.get("corrected")]
    cited = " ".join(str(e) for e in corrections)
    assert "as at 31 March 2025" in cited
    assert "outcomes-2025.xlsx" in cited
    # What the ledger said before the later edition is still there to see.
    assert services.views.judgements("barnet", as_of=date(2024, 6, 1))["overall"]["grade"] == (
        "requires_improvement"
    )
    # The overview says what the ledger said before the correction, as known then.
    then = services.views.overview(known_at=known_before)
    now = services.views.overview()
    barnet_then = next(a for a in then["authorities"] if a["slug"] == "barnet")
    barnet_now = next(a for a in now["authorities"] if a["slug"] == "barnet")
    assert (barnet_then["overall"], barnet_now["overall"]) == ("good", "requires_improvement")
    assert now["counts"]["overall"]["good"] == then["counts"]["overall"]["good"] - 1
    assert services.views.authority("barnsley")["code"] == "E08000016"
    assert services.views.authority("barnsley")["region"] == (
        "North East, Yorkshire and the Humber"
    )  # spelt otherwise, the same region: not corrected
    assert ingest(services, revised).new_events == 0


def test_a_later_edition_with_a_long_history_sheet_records_the_earlier_inspections(
    services: Services, tmp_path: Path
) -> None:
    edition = later_edition(
        tmp_path / "outcomes-2025.xlsx",
        [
            row(
                "Testborough",
                "E06999901",
                "North West",
                date(2024, 9, 9),
                date(2024, 9, 20),
                date(2024, 11, 1),
                "ILACS Standard Inspection",
                "Good",
                "Good",
                "Good",
                "Good",
                "Outstanding",
            ),
            row("Newshire", "E06999902", "North West", "Not yet inspected", None, None, ""),
        ],
        history=[
            [
                "Testborough",
                "E06999901",
                "North West",
                date(2019, 1, 14),
                date(2019, 3, 1),
                "ILACS Short Inspection",
                "Inadequate",
                "Inadequate",
                "Inadequate",
                RI,
                "",
            ],
            [
                "Testborough",
                "E06999901",
                "North West",
                date(2024, 9, 9),
                date(2024, 11, 1),
                "ILACS Standard Inspection",
                "Good",
                "Good",
                "Good",
                "Good",
                "Outstanding",
            ],
        ],
    )
    result = ingest(services, edition)
    assert (result.registered, result.inspections) == (2, 2)
    view = services.views.judgements("testborough")
    assert view["inspection"]["framework"] == "ilacs-2023"
    assert view["overall"]["previous_grade"] == "inadequate"
    assert view["overall"]["direction"] == "improved"
    assert services.views.authority("testborough")["code"] == "E06999901"
    assert services.views.judgements("newshire")["inspection"] is None


def test_an_inspection_recorded_from_its_report_is_matched_not_duplicated(
    services: Services, tmp_path: Path
) -> None:
    load_demo(services.ledger)
    edition = later_edition(
        tmp_path / "outcomes-2019.xlsx",
        [
            row(
                "Lancashire",
                "E10000017",
                "North West",
                date(2018, 6, 4),
                None,
                date(2018, 8, 17),
                "SIF re-inspection",
                RI,
                RI,
                RI,
                RI,
                "",
            ),
        ],
    )
    result = ingest(services, edition)
    assert (result.registered, result.inspections) == (0, 0)
    view = services.views.judgements("lancashire", as_of=date(2019, 1, 1))
    assert view["inspection"]["ref"] == "sif-2018"  # the demo's, from its report
    assert view["inspection"]["first_day"] == "2018-06-04"  # the edition adds what it lacked
    assert services.views.authority("lancashire")["name"] == "Lancashire County Council"
    assert services.views.authority("lancashire")["region"] == "North West"


def test_a_bad_edition_is_rejected_naming_sheet_and_row_and_nothing_is_written(
    services: Services, tmp_path: Path
) -> None:
    load_demo(services.ledger)
    before = services.ledger.fingerprint()
    edition = later_edition(
        tmp_path / "bad.xlsx",
        [
            row(
                "Testborough",
                "E06999901",
                "North West",
                date(2024, 9, 9),
                None,
                date(2024, 11, 1),
                "ILACS Standard Inspection",
                "Good",
                "Splendid",
                "Good",
                "Good",
                "Good",
            ),
            row(
                "Otherton",
                "E06999903",
                "North West",
                date(2024, 9, 9),
                None,
                None,
                "ILACS Standard Inspection",
                "Good",
                "Good",
                "Good",
                "Good",
                "Good",
            ),
            row(
                "Laterton",
                "E06999904",
                "North West",
                date(2019, 5, 13),
                None,
                date(2019, 7, 1),
                "ILACS Standard Inspection",
                "Good",
                "Good",
                "Good",
                "Good",
                "Good",
            ),  # care leavers graded in 2019
        ],
    )
    with pytest.raises(EditionRejected) as rejected:
        ingest(services, edition)
    problems = [str(p) for p in rejected.value.problems]
    assert any(
        "sheet 'Latest_outcomes_2025', row 3" in p and "'Splendid' is not a grade" in p
        for p in problems
    )
    assert any("row 4" in p and "no publication date for Otherton" in p for p in problems)
    assert any("row 5" in p and "no framework" in p and "Laterton" in p for p in problems)
    assert services.ledger.fingerprint() == before


def test_an_abolished_authority_missing_from_the_reorganisations_file_is_refused(
    services: Services, edition_2024: Path
) -> None:
    with pytest.raises(EditionRejected) as rejected:
        ingest(services, edition_2024, reorganisations=ReorganisationCatalogue())
    problems = [str(p) for p in rejected.value.problems]
    assert len(problems) == 3
    assert any(
        "row 162" in p and "Cumbria is listed among authorities that no longer exist" in p
        for p in problems
    )
    assert services.ledger.fingerprint().count == 0
