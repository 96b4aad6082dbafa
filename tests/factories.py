"""Small factories for test data: command lines as an import file would hold them."""

from __future__ import annotations

from typing import Any

from entrypoints.demo import DEMO_JOURNEY
from ledger.application.importing import import_commands
from ledger.application.parsing import command_id_of, parse_command
from ledger.application.service import JourneyLedger, PendingCommand

AUTHORITY = "testshire"


def record(ledger: JourneyLedger, *lines: dict[str, Any], actor: str = "tester") -> int:
    """Record command lines as one batch; returns how many events were new."""
    return ledger.execute(
        [PendingCommand(parse_command(line), command_id_of(line)) for line in lines], actor
    )


def load_demo(ledger: JourneyLedger) -> None:
    with DEMO_JOURNEY.open(encoding="utf-8") as lines:
        import_commands(ledger, lines, actor="demo-loader")


def authority(slug: str = AUTHORITY) -> dict[str, Any]:
    return {
        "type": "AuthorityRegistered",
        "id": slug,
        "name": f"{slug.title()} Council",
        "source": "test",
    }


def sif_inspection(
    ref: str, published: str, grade: str = "inadequate", **overrides: Any
) -> dict[str, Any]:
    areas = [
        "overall_effectiveness",
        "help_and_protection",
        "looked_after",
        "adoption",
        "care_leavers",
        "leadership",
    ]
    line = {
        "type": "InspectionRecorded",
        "authority": AUTHORITY,
        "id": ref,
        "framework": "sif-2013",
        "kind": "single_inspection",
        "published": published,
        "grades": dict.fromkeys(areas, grade),
        "source": "test report",
    }
    line.update(overrides)
    return line


def recommendation(ref: str, origin: str, text: str = "Improve things.") -> dict[str, Any]:
    return {
        "type": "RecommendationIssued",
        "authority": AUTHORITY,
        "id": ref,
        "origin": origin,
        "text": text,
        "source": "test report",
    }


def action(ref: str, answers: list[str], due: str, planned: str = "2018-09-01") -> dict[str, Any]:
    return {
        "type": "ActionPlanned",
        "authority": AUTHORITY,
        "id": ref,
        "date": planned,
        "title": f"Action {ref}",
        "owner": "Head of service",
        "due_date": due,
        "answers": answers,
        "source": "improvement plan",
    }


def progress(
    ref: str, day: str, rag: str, narrative: str = "Progressing.", **extra: Any
) -> dict[str, Any]:
    return {
        "type": "ActionProgressUpdated",
        "authority": AUTHORITY,
        "id": ref,
        "date": day,
        "rag": rag,
        "narrative": narrative,
        "source": "highlight report",
        **extra,
    }


def journey() -> list[dict[str, Any]]:
    """An authority with an inspection, two recommendations and an action."""
    return [
        authority(),
        sif_inspection("insp-1", "2018-08-17"),
        recommendation("rec-1", "insp-1"),
        recommendation("rec-2", "insp-1"),
        action("act-1", ["rec-1", "rec-2"], due="2018-12-31"),
    ]
