"""The national and regional overview page, on the 2024 edition imported into a real ledger."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from python_calamine import CalamineWorkbook

from config.reorganisations import load_reorganisations
from entrypoints.bootstrap import Services
from ledger.application.imports.ofsted import import_ofsted
from tests.integration.web.conftest import PASSWORD, MakeLedgerApp
from tests.ofsted_editions import overall_counts_in_sheet


@pytest.fixture
def national(sqlite_services: Services, edition_2024: Path) -> Services:
    import_ofsted(sqlite_services.ledger, edition_2024, load_reorganisations(), "importer")
    sqlite_services.read_model.catch_up()
    return sqlite_services


@pytest.fixture
def vic(make_ledger_app: MakeLedgerApp, national: Services) -> FlaskClient:
    app: Flask = make_ledger_app(national)
    client = app.test_client()
    assert client.post("/sign-in", data={"name": "vic", "password": PASSWORD}).status_code == 303
    return client


def cell_counts(html: str) -> dict[str, str]:
    row = re.search(
        r"<th scope=\"row\" class=\"govuk-table__header\">Overall effectiveness</th>(.*?)</tr>",
        html,
        re.S,
    )
    assert row
    return dict(
        zip(
            ["outstanding", "good", "requires_improvement", "inadequate"],
            re.findall(r">(\d+)<", row.group(1)),
            strict=True,
        )
    )


def test_the_overview_lists_every_authority_with_the_sheets_counts(
    vic: FlaskClient, edition_2024: Path
) -> None:
    html = vic.get("/overview?as_of=2024-06-30").get_data(as_text=True)
    assert "Inspection outcomes: England" in html
    assert "153 authorities" in html
    expected, _ = overall_counts_in_sheet(edition_2024)
    assert cell_counts(html) == {g: str(n) for g, n in expected.items()}
    assert html.count('href="/authorities/') >= 153
    assert 'href="/authorities/blackpool?as_of=2024-06-30"' in html  # the audit point is kept
    assert "Overall effectiveness over time" in html and "<svg" in html
    assert "Not yet inspected" in html
    assert "formerly part of Cumbria" in html


def test_the_overview_filters_by_region_and_grade(vic: FlaskClient) -> None:
    html = vic.get("/overview?region=north-west&grade=inadequate").get_data(as_text=True)
    assert "Inspection outcomes: North West" in html
    names = re.findall(r'href="/authorities/([a-z-]+)"', html)
    assert names and "liverpool" in names and "barnet" not in names
    assert vic.get("/overview?region=atlantis").status_code == 404
    assert vic.get("/overview?grade=splendid").status_code == 400


def test_the_overview_downloads_as_csv_and_xlsx(vic: FlaskClient, tmp_path: Path) -> None:
    csv = vic.get("/overview.csv?region=london")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    lines = csv.get_data(as_text=True).splitlines()
    assert lines[0].startswith("Local authority,ONS code,Region,Overall")
    assert len(lines) == 1 + 33 and all(",London," in line for line in lines[1:])
    xlsx = vic.get("/overview.xlsx")
    assert xlsx.status_code == 200
    target = tmp_path / "o.xlsx"
    target.write_bytes(xlsx.get_data())
    assert (
        len(CalamineWorkbook.from_path(str(target)).get_sheet_by_name("Authorities").to_python())
        == 154
    )


def test_the_api_answers_the_overview_as_the_cli_does(vic: FlaskClient) -> None:
    body = vic.get("/api/overview?region=london").get_json()
    assert len(body["authorities"]) == 33
    assert set(body["counts"]) >= {"overall", "not_inspected", "areas"}
    assert {"slug", "name", "code", "region", "overall", "areas", "published"} <= set(
        body["authorities"][0]
    )
