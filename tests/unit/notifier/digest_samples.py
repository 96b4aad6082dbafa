"""Digests built by hand for the rendering tests: a realistic week, a quiet one, a huge one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from notifier.digest import (
    ActionChange,
    ActionDue,
    AdverseReading,
    AreaMove,
    CorrectionNote,
    DecisionNote,
    Digest,
    DueDateRevision,
    LateEntry,
    NewJudgement,
    Provenance,
    RagChange,
    RecommendationChange,
    UngradedArea,
    VisitNote,
)
from notifier.periods import DigestPeriod
from notifier.rendering import DigestRenderer, template_environment

LONDON = ZoneInfo("Europe/London")
WEEK = DigestPeriod(date(2018, 8, 13), date(2018, 8, 19))
FINGERPRINT = "42:" + "ab" * 32
COMPILED = datetime(2018, 8, 20, 8, 0, tzinfo=UTC)


def seen(day: date, late: bool = False) -> Provenance:
    recorded = (
        datetime(2018, 8, 15, 10, 30, tzinfo=UTC)
        if late
        else datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=12)
    )
    return Provenance(day, recorded, "officer@example.org", "highlight report", late)


def move(area: str, label: str, before: str | None, now: str, direction: str | None) -> AreaMove:
    labels = {
        "inadequate": "Inadequate",
        "requires_improvement": "Requires improvement to be good",
        "good": "Good",
    }
    return AreaMove(
        area, label, now, labels[now], before, labels[before] if before else None, direction
    )


def week_digest(**changes: object) -> Digest:
    """A busy week touching every section, with markup-like text to check escaping."""
    fields: dict[str, object] = {
        "authority": "exampleshire",
        "authority_name": "Exampleshire County Council",
        "period": WEEK,
        "as_of": WEEK.end,
        "due_soon_until": WEEK.end + timedelta(days=14),
        "generated_at": COMPILED,
        "fingerprint": FINGERPRINT,
        "judgements": (
            NewJudgement(
                ref="sif-2018",
                framework="sif-2013",
                kind="re_inspection",
                published=date(2018, 8, 17),
                overall=move(
                    "overall_effectiveness",
                    "Overall effectiveness",
                    "inadequate",
                    "requires_improvement",
                    "improved",
                ),
                has_overall_grade=True,
                areas=(
                    move(
                        "adoption",
                        "Adoption performance",
                        "requires_improvement",
                        "good",
                        "improved",
                    ),
                ),
                no_longer_graded=(UngradedArea("lscb", "Review of the LSCB", "Good"),),
                report_url="https://reports.example.org/sif-2018.pdf",
                seen=seen(date(2018, 8, 17)),
            ),
        ),
        "visits": (
            VisitNote(
                "mv-7",
                7,
                date(2018, 8, 1),
                date(2018, 8, 2),
                date(2018, 8, 14),
                "The local authority is making steady progress.",
                {"strength": 2, "concern": 1},
                seen(date(2018, 8, 14)),
            ),
        ),
        "decisions": (
            DecisionNote(
                "cabinet-1",
                "Cabinet",
                date(2018, 8, 16),
                "Investment in social work",
                "Approved <b>new</b> posts & training.",
                ("Approve 12 posts",),
                Decimal("5000000.00"),
                seen(date(2018, 8, 16)),
            ),
        ),
        "recommendations": (
            RecommendationChange(
                "rec-1",
                "closed",
                "Improve supervision.",
                "Audit shows monthly supervision",
                "Improvement board",
                seen(date(2018, 8, 15)),
            ),
        ),
        "action_changes": (
            ActionChange(
                "act-9",
                "planned",
                "Recruit 12 social workers",
                "Head of service",
                date(2018, 12, 31),
                "",
                seen(date(2018, 8, 13)),
            ),
        ),
        "rag_changes": (
            RagChange(
                "act-1",
                "Reduce caseloads",
                "red",
                "amber",
                "Agency staff left; caseloads rose to 28.",
                seen(date(2018, 8, 14)),
            ),
        ),
        "revisions": (
            DueDateRevision(
                "act-2",
                "Audit plans",
                date(2018, 9, 1),
                date(2018, 10, 31),
                date(2018, 7, 31),
                "Audit team redeployed",
                "Improvement board",
                seen(date(2018, 8, 15)),
            ),
        ),
        "overdue": (
            ActionDue(
                "act-3",
                "Publish the sufficiency strategy",
                "Director",
                date(2018, 8, 1),
                "red",
                18,
                True,
            ),
        ),
        "due_soon": (
            ActionDue(
                "act-4",
                "Train managers",
                "Principal social worker",
                date(2018, 8, 24),
                "green",
                0,
                False,
            ),
        ),
        "adverse_readings": (
            AdverseReading(
                "rhi",
                "Return home interviews offered",
                "percent",
                date(2018, 7, 31),
                Decimal("64"),
                date(2018, 6, 30),
                Decimal("71"),
                Decimal("90"),
                True,
                seen(date(2018, 8, 16)),
            ),
        ),
        "other_readings": 2,
        "corrections": (
            CorrectionNote(
                "inspection/sif-2015",
                ("grades",),
                "The LSCB grade was mistyped",
                seen(date(2018, 8, 15)),
            ),
        ),
        "late_entries": (
            LateEntry(
                "action", "Progress on action act-5: GREEN", seen(date(2018, 6, 3), late=True)
            ),
        ),
        "events_in_period": 12,
    }
    fields.update(changes)
    return Digest(**fields)  # type: ignore[arg-type]


def quiet_digest() -> Digest:
    return Digest(
        authority="exampleshire",
        authority_name="Exampleshire County Council",
        period=WEEK,
        as_of=WEEK.end,
        due_soon_until=WEEK.end + timedelta(days=14),
        generated_at=COMPILED,
        fingerprint=FINGERPRINT,
    )


def huge_digest(count: int = 400) -> Digest:
    """Far more than any message can hold: hundreds of long RAG changes and recommendations."""
    narrative = "Caseloads & agency <staff> " + "remain high across the teams; " * 40
    rags = tuple(
        RagChange(
            f"act-{i}", f"Action number {i}", "red", "amber", narrative, seen(date(2018, 8, 14))
        )
        for i in range(count)
    )
    recs = tuple(
        RecommendationChange(
            f"rec-{i}",
            "issued",
            "Ensure that plans are specific. " * 20,
            "From inspection x",
            None,
            seen(date(2018, 8, 17)),
        )
        for i in range(count)
    )
    return week_digest(rag_changes=rags, recommendations=recs)


def make_renderer(base_url: str | None = "https://ledger.example.org") -> DigestRenderer:
    return DigestRenderer(template_environment(), LONDON, base_url)
