"""Every kind of event the web app records: as the "Record" page lists them, and the forms
that add to an existing record (chosen first)."""

from __future__ import annotations

from dataclasses import dataclass

from web.recording import update_forms as updates


@dataclass(frozen=True)
class FormLink:
    """One recording form: its endpoint (under ``ledger.record.``), link text and hint."""

    endpoint: str
    text: str
    hint: str


@dataclass(frozen=True)
class FormGroup:
    heading: str
    forms: tuple[FormLink, ...]


CATALOGUE: tuple[FormGroup, ...] = (
    FormGroup(
        "Inspections and visits",
        (
            FormLink("inspection", "An inspection", "Its report: one grade per judgement area"),
            FormLink(
                "monitoring_visit",
                "A monitoring visit",
                "Its letter, progress statement and findings",
            ),
        ),
    ),
    FormGroup(
        "Recommendations",
        (
            FormLink(
                "recommendation",
                "A recommendation",
                "From an inspection or a visit, including areas for priority action",
            ),
            FormLink("recommendation_closed", "A recommendation closed", "With the evidence"),
            FormLink("recommendation_reopened", "A recommendation reopened", "With the reason"),
        ),
    ),
    FormGroup(
        "Improvement plan actions",
        (
            FormLink("action", "An action planned", "Answering one or more recommendations"),
            FormLink(
                "progress", "A progress update", "A red, amber or green rating and a narrative"
            ),
            FormLink("due_date", "A due date revised", "With the reason and who approved it"),
            FormLink("completed", "An action completed", "With the evidence"),
            FormLink("cancelled", "An action cancelled", "With the reason"),
            FormLink("assign", "An action assigned to a person", "Who is reminded of it"),
        ),
    ),
    FormGroup(
        "People",
        (
            FormLink("person", "A person", "Who owns actions, their manager, board roles"),
            FormLink("person_updated", "New details for a person", "A new job title or manager"),
            FormLink("person_left", "A person who left", "Reminders to them stop"),
        ),
    ),
    FormGroup(
        "Decisions and interventions",
        (
            FormLink(
                "decision",
                "A decision",
                "Of the cabinet, a committee or the board, with any investment",
            ),
            FormLink(
                "intervention",
                "An intervention",
                "An improvement notice, a direction, a commissioner, a board, or one lifted",
            ),
        ),
    ),
    FormGroup(
        "Indicators",
        (
            FormLink("indicator", "An indicator", "Something to track, such as caseloads"),
            FormLink("reading", "An indicator reading", "Its value for a period"),
        ),
    ),
    FormGroup(
        "Corrections",
        (
            FormLink(
                "correction",
                "A correction of an earlier record",
                "Both the mistake and the correction stay in the history",
            ),
        ),
    ),
)


@dataclass(frozen=True)
class UpdatePage:
    """A form that adds to an existing record, which is chosen first.

    ``choosable`` says which records can be chosen: ``open`` ones (an open action, an open
    recommendation to close), ``closed`` ones (to reopen) or ``all``.
    """

    endpoint: str
    path: str
    target: str
    form: type[updates.UpdateForm]
    title: str
    choosable: str = "all"


UPDATE_PAGES = (
    UpdatePage(
        "progress", "progress", "action", updates.ProgressForm, "Record a progress update", "open"
    ),
    UpdatePage(
        "due_date",
        "due-date",
        "action",
        updates.ReviseDueDateForm,
        "Record a revised due date",
        "open",
    ),
    UpdatePage(
        "completed",
        "completed",
        "action",
        updates.CompleteActionForm,
        "Record an action completed",
        "open",
    ),
    UpdatePage(
        "cancelled",
        "cancelled",
        "action",
        updates.CancelActionForm,
        "Record an action cancelled",
        "open",
    ),
    UpdatePage(
        "assign",
        "assign",
        "action",
        updates.AssignActionForm,
        "Assign an action to a person",
        "open",
    ),
    UpdatePage(
        "person_updated",
        "person-updated",
        "person",
        updates.PersonUpdateForm,
        "Record a change to a person's details",
        "open",
    ),
    UpdatePage(
        "person_left",
        "person-left",
        "person",
        updates.PersonLeftForm,
        "Record that a person left",
        "open",
    ),
    UpdatePage(
        "recommendation_closed",
        "recommendation-closed",
        "recommendation",
        updates.CloseRecommendationForm,
        "Record a recommendation closed",
        "open",
    ),
    UpdatePage(
        "recommendation_reopened",
        "recommendation-reopened",
        "recommendation",
        updates.ReopenRecommendationForm,
        "Record a recommendation reopened",
        "closed",
    ),
    UpdatePage(
        "reading", "reading", "indicator", updates.ReadingForm, "Record an indicator reading"
    ),
)
ACTION_UPDATES = {
    "ActionProgressUpdated": "Progress update",
    "ActionDueDateRevised": "New due date",
    "ActionCompleted": "Completion",
    "ActionCancelled": "Cancellation",
    "ActionAssigned": "Assignment",
}
