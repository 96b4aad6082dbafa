"""People, an action's page and statutory deadlines as the read side answers them, on SQLite and
PostgreSQL: as of a day, and as known at an instant."""

from __future__ import annotations

from datetime import UTC, date, datetime

from entrypoints.bootstrap import Services
from tests.factories import AUTHORITY, action, authority, progress, recommendation, record


def inspection(published: str, overall: str) -> dict[str, object]:
    areas = ["overall_effectiveness", "leaders", "help_and_protection", "in_care", "care_leavers"]
    grades = dict.fromkeys(areas, "requires_improvement")
    grades["overall_effectiveness"] = overall
    return {
        "type": "InspectionRecorded",
        "authority": AUTHORITY,
        "id": f"ilacs-{published}",
        "framework": "ilacs-2023",
        "kind": "standard",
        "published": published,
        "grades": grades,
        "source": "report",
    }


def test_an_inadequate_report_sets_a_70_working_day_clock_across_christmas(
    services: Services,
) -> None:
    record(services.ledger, authority(), inspection("2024-12-02", "inadequate"))
    found = services.views.deadlines(AUTHORITY, as_of=date(2024, 12, 20))["deadlines"]
    assert [(d["rule"], d["started"], d["due"], d["status"]) for d in found] == [
        ("written-statement-of-action", "2024-12-02", "2025-03-13", "upcoming")
    ]
    # 14 of the 70 had gone by 20 December (3 to 20 December): 56 are left.
    assert found[0]["working_days_left"] == 56
    passed = services.views.deadlines(AUTHORITY, as_of=date(2025, 3, 14))["deadlines"]
    assert passed[0]["status"] == "passed" and passed[0]["working_days_left"] == -1


def test_a_good_report_sets_no_clock_and_a_visit_with_priority_actions_does(
    services: Services,
) -> None:
    visit = {
        "type": "MonitoringVisitRecorded",
        "authority": AUTHORITY,
        "id": "fv-1",
        "first_day": "2024-11-26",
        "last_day": "2024-11-27",
        "letter_date": "2024-12-02",
        "progress_statement": "Areas for priority action",
        "source": "letter",
    }
    record(services.ledger, authority(), inspection("2024-06-03", "good"), visit)
    assert services.views.deadlines(AUTHORITY, as_of=date(2024, 12, 3))["deadlines"] == []
    record(services.ledger, recommendation("apa-1", "fv-1", "Priority action"))
    found = services.views.deadlines(AUTHORITY, as_of=date(2024, 12, 3))["deadlines"]
    assert [(d["rule"], d["due"]) for d in found] == [
        ("priority-action-plan-draft", "2025-01-02"),
        ("priority-action-plan", "2025-03-13"),
    ]


def test_an_actions_page_tells_its_whole_history_with_names(services: Services) -> None:
    person = {
        "type": "PersonAdded",
        "authority": AUTHORITY,
        "id": "ann",
        "name": "Ann Example",
        "email": "ann@example.org",
        "account": "Ann",
        "date": "2018-08-01",
        "source": "staff list",
    }
    inspection_2018 = {
        "type": "InspectionRecorded",
        "authority": AUTHORITY,
        "id": "insp-1",
        "framework": "sif-2013",
        "kind": "single_inspection",
        "published": "2018-08-17",
        "grades": dict.fromkeys(
            [
                "overall_effectiveness",
                "help_and_protection",
                "looked_after",
                "adoption",
                "care_leavers",
                "leadership",
            ],
            "inadequate",
        ),
        "source": "report",
    }
    record(
        services.ledger,
        authority(),
        person,
        inspection_2018,
        recommendation("rec-1", "insp-1", "Improve early help."),
        action("act-1", ["rec-1"], due="2018-12-31"),
    )
    before = datetime.now(UTC)
    record(
        services.ledger,
        {
            "type": "ActionAssigned",
            "authority": AUTHORITY,
            "id": "act-1",
            "person": "ann",
            "date": "2018-09-03",
            "source": "plan",
        },
        progress("act-1", "2018-10-01", "amber"),
        {
            "type": "ActionDueDateRevised",
            "authority": AUTHORITY,
            "id": "act-1",
            "date": "2018-11-01",
            "new_due_date": "2019-02-28",
            "reason": "Recruitment",
            "approver": "Board",
            "source": "minutes",
        },
    )
    page = services.views.action(AUTHORITY, "act-1", as_of=date(2018, 12, 1))
    assert page is not None
    assert [h["kind"] for h in page["history"]] == [
        "planned",
        "assigned",
        "progress",
        "due_date_revised",
    ]
    assert page["history"][1]["title"] == "Assigned to Ann Example"
    assert (page["original_due_date"], page["due_date"]) == ("2018-12-31", "2019-02-28")
    assert page["person"]["name"] == "Ann Example" and page["owner_name"] == "Ann Example"
    assert page["recommendations"] == [
        {"ref": "rec-1", "text": "Improve early help.", "status": "open"}
    ]
    # As of a day before the assignment, it had no person; as known before it, neither.
    assert services.views.action(AUTHORITY, "act-1", as_of=date(2018, 9, 2))["person"] is None
    known = services.views.action(AUTHORITY, "act-1", as_of=date(2018, 12, 1), known_at=before)
    assert known is not None and known["person"] is None
    # "My actions" finds it by the account that signs in as Ann (names are case-blind).
    mine = services.views.my_actions("ann", as_of=date(2018, 12, 1))
    assert [(m["authority"], [a["ref"] for a in m["actions"]]) for m in mine] == [
        (AUTHORITY, ["act-1"])
    ]
    assert services.views.my_actions("ann", only=lambda _slug, _region: False) == []
    listed = services.views.people(AUTHORITY, as_of=date(2018, 12, 1))["people"]
    assert [(p["ref"], p["open_actions"]) for p in listed] == [("ann", 1)]
