"""Check your answers before anything is recorded: the answers in words, a Change button back to
each, recording only from the check page; every problem of a form found in one round; and the
form details that save typing (today's date, a character count, findings added one by one)."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from typing import Any

from flask.testing import FlaskClient

from entrypoints.bootstrap import Services
from tests.factories import record
from tests.integration.web.test_web_recording_forms import (
    SOURCE,
    carried,
    check_page,
    day,
    fingerprint,
    hidden,
    inspection_data,
    record_through,
    summary_links,
    text_of,
)

ClientAs = Callable[[str], FlaskClient]
A = "/authorities/lancashire/record"
PROGRESS = f"{A}/progress?action=improvement-plan-2018"


def progress_data(form: str, **overrides: Any) -> dict[str, Any]:
    data = {
        "nonce": hidden(form, "nonce"),
        "expected_version": hidden(form, "expected_version"),
        **day("date", "2018-10-01"),
        "rag": "amber",
        "narrative": "Draft plan discussed with the board.",
        "evidence": "PIIB minutes\nDraft plan v2",
        **SOURCE,
    }
    data.update(overrides)
    return data


def answers_of(html: str) -> dict[str, str]:
    rows = re.findall(
        r'<dt class="govuk-summary-list__key">(.*?)</dt>\s*<dd class="govuk-summary-list__value">'
        r"(.*?)</dd>",
        html,
        re.S,
    )
    return {unescape(key.strip()): text_of(value) for key, value in rows}


def test_answers_are_checked_in_words_and_nothing_is_recorded_until_confirmed(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    client = client_as("rae")
    before = fingerprint(sqlite_services)
    data = progress_data(client.get(PROGRESS).get_data(as_text=True))
    html = check_page(client, PROGRESS, data)
    assert fingerprint(sqlite_services) == before  # checking records nothing
    assert "<title>Check your answers: Record a progress update" in html
    assert "Action improvement-plan-2018: Improvement plan" in text_of(html)
    assert answers_of(html) == {
        "Date of the update": "1 October 2018",
        "Rating": "Amber",
        "Progress": "Draft plan discussed with the board.",
        "Evidence": "PIIB minutes Draft plan v2",
        "Source document": SOURCE["source"],
    }
    assert "Once recorded, this cannot be changed or deleted" in html
    assert 'name="confirm" value="1">Record progress update</button>' in html
    # Each answer has its Change button, back to where it is asked.
    assert re.search(r'name="change" value="rag" formaction="[^"]*#rag"', html)
    assert re.search(r'name="change" value="date" formaction="[^"]*#date-day"', html)
    assert carried(html)["evidence"] == ["PIIB minutes\nDraft plan v2"]

    recorded = client.post(PROGRESS, data={**carried(html), "confirm": "1"})
    assert recorded.status_code == 303
    latest = sqlite_services.views.actions("lancashire")["actions"][0]["latest_update"]
    assert latest["narrative"] == "Draft plan discussed with the board."
    assert latest["evidence"] == ["PIIB minutes", "Draft plan v2"]


def test_change_goes_back_to_the_form_with_every_answer_kept(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    client = client_as("rae")
    before = fingerprint(sqlite_services)
    html = check_page(client, PROGRESS, progress_data(client.get(PROGRESS).get_data(as_text=True)))
    back = client.post(PROGRESS, data={**carried(html), "change": "rag"}).get_data(as_text=True)
    assert "Check your answers" not in back
    assert "There is a problem" not in back  # nothing is checked on the way back
    assert re.search(r'name="rag"[^>]*value="amber"[^>]*checked', back)
    assert "Draft plan discussed with the board." in back
    assert re.search(r'id="date-day"[^>]*value="01"', back)
    assert hidden(back, "nonce") == carried(html)["nonce"][0]  # still the same submission
    assert fingerprint(sqlite_services) == before


def test_a_change_by_someone_else_between_check_and_confirm_is_a_conflict(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    client = client_as("rae")
    html = check_page(client, PROGRESS, progress_data(client.get(PROGRESS).get_data(as_text=True)))
    record(
        sqlite_services.ledger,
        {
            "type": "ActionProgressUpdated",
            "authority": "lancashire",
            "id": "improvement-plan-2018",
            "date": "2018-10-02",
            "rag": "green",
            "narrative": "Meanwhile, ada reported this.",
            "source": "test",
        },
        actor="ada",
    )
    after_other = fingerprint(sqlite_services)
    refused = client.post(PROGRESS, data={**carried(html), "confirm": "1"}).get_data(as_text=True)
    assert "Someone else recorded a change to this record after you opened this form" in refused
    assert "Meanwhile, ada reported this." in refused
    assert fingerprint(sqlite_services) == after_other


def test_every_problem_of_a_form_is_found_in_one_round(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    before = fingerprint(sqlite_services)
    # A malformed reference (the form's check) and a publication date in the future (the
    # ledger's): both are reported at once, not the second after the first is fixed.
    data = inspection_data(ref="ilacs 2026", **day("published", "2027-01-04"))
    html = client_as("rae").post(f"{A}/inspection?framework=ilacs-2026", data=data)
    page = html.get_data(as_text=True)
    assert summary_links(page) == ["#ref", "#published-day"]
    assert "The reference must use only letters, numbers" in page
    assert "2027-01-04 is in the future" in page
    assert fingerprint(sqlite_services) == before


def test_a_form_error_is_not_repeated_by_the_ledger(client_as: ClientAs) -> None:
    data = inspection_data(**day("published", "2026-02-31"))
    page = client_as("rae").post(f"{A}/inspection?framework=ilacs-2026", data=data)
    html = page.get_data(as_text=True)
    assert summary_links(html) == ["#published-day"]
    assert "Enter the publication date" not in html  # the ledger saw no date: not news


def test_an_update_dated_today_is_filled_in_for_you(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    today = sqlite_services.today()
    for path in ("progress", "due-date", "completed", "cancelled"):
        form = client_as("rae").get(f"{A}/{path}?action=improvement-plan-2018")
        html = form.get_data(as_text=True)
        assert re.search(rf'id="date-day"[^>]*value="{today:%d}"', html), path
        assert re.search(rf'id="date-year"[^>]*value="{today.year}"', html), path
    revision = client_as("rae").get(f"{A}/due-date?action=improvement-plan-2018")
    assert not re.search(r'id="new_due_date-day"[^>]*value="\d', revision.get_data(as_text=True))


def test_long_text_counts_its_characters(client_as: ClientAs) -> None:
    html = client_as("rae").get(PROGRESS).get_data(as_text=True)
    assert 'data-module="govuk-character-count"' in html
    assert 'data-maxlength="10000"' in html


VISIT = {
    "ref": "mv-7",
    "number": "7",
    **day("first_day", "2017-09-05"),
    **day("last_day", "2017-09-06"),
    **day("letter_date", "2017-10-02"),
    "progress_statement": "Progress is uneven.",
    **SOURCE,
}


def test_findings_are_added_one_at_a_time_and_removed(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    client = client_as("rae")
    url = f"{A}/monitoring-visit"
    first = client.get(url).get_data(as_text=True)
    assert 'name="finding_1_kind"' in first and 'name="finding_2_kind"' not in first
    assert "Add another finding" in first
    before = fingerprint(sqlite_services)

    one = {**VISIT, "finding_1_kind": "concern", "finding_1_text": "Plans are weak."}
    two = client.post(url, data={**one, "add_finding": "1"}).get_data(as_text=True)
    assert 'name="finding_2_kind"' in two and "There is a problem" not in two
    assert "Plans are weak." in two
    assert 'formaction="/authorities/lancashire/record/monitoring-visit#finding-3"' in two

    three = {
        **one,
        "finding_2_kind": "strength",
        "finding_2_text": "Leaders know their services.",
        "finding_3_kind": "decline",
        "finding_3_text": "Timeliness fell.",
    }
    after_removal = client.post(url, data={**three, "remove_finding": "2"}).get_data(as_text=True)
    assert "Leaders know their services." not in after_removal
    assert re.search(r'name="finding_2_kind"[^>]*>.*?value="decline" selected', after_removal, re.S)
    assert 'name="finding_3_kind"' not in after_removal
    assert fingerprint(sqlite_services) == before  # adding and removing records nothing

    html = check_page(client, url, {**three})
    assert answers_of(html)["Finding 3"] == "Decline: Timeliness fell."
    assert record_through(client, url, three).status_code == 303
    visit = sqlite_services.views.latest("lancashire", "monitoring_visit")
    assert visit is not None
    assert [f["kind"] for f in visit["facts"]["findings"]] == ["concern", "strength", "decline"]


def test_pressing_enter_in_a_visit_form_continues_rather_than_adds_or_removes(
    client_as: ClientAs,
) -> None:
    html = client_as("rae").get(f"{A}/monitoring-visit").get_data(as_text=True)
    form = html.split('<form method="post" novalidate>', 1)[1]
    first_button = re.search(r"<button[^>]*>", form)
    assert first_button is not None
    assert "name=" not in first_button.group(0)  # no step button's name: it submits the form


def test_a_correction_is_checked_as_its_values_before_and_after(
    client_as: ClientAs, sqlite_services: Services
) -> None:
    client = client_as("rae")
    url = f"{A}/correction?record=decision&ref=ccpi-2015-12-10"
    form = client.get(url).get_data(as_text=True)
    data = {
        "expected_version": hidden(form, "expected_version"),
        "correct": ["date"],
        **day("new_date", "2015-12-11"),
        "reason": "Dated the day after",
        **SOURCE,
    }
    html = check_page(client, url, data)
    assert "Correcting ccpi-2015-12-10" in text_of(html)
    assert answers_of(html)["Date"] == "Was: 10 December 2015 Now: 11 December 2015"
    assert answers_of(html)["Why the record was wrong"] == "Dated the day after"
    assert re.search(r'name="change" value="new_date" formaction="[^"]*#new_date-day"', html)


def test_records_to_choose_from_are_named_in_words_not_codes(client_as: ClientAs) -> None:
    html = text_of(client_as("rae").get(f"{A}/correction?record=inspection").get_data(as_text=True))
    assert (
        "sif-2015: Single inspection report published under the Single inspection framework" in html
    )
    assert "(sif-2013, single inspection)" not in html
