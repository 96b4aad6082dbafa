"""The recording forms (recorders and admins only), nested in the ``ledger`` blueprint as
``ledger.record.<form>``.

Each form builds the raw command an import line would hold, the ledger parses and checks it,
and the signed-in user is recorded as the actor. Nothing recorded can be edited afterwards, so
every form goes through GOV.UK's "Check your answers" first:

1. the form posts its answers (the "check" step): the form's checks and a dry run of the
   ledger's find every problem in one round; none, and the answers are shown in words, each
   with a Change button, and carried in hidden inputs;
2. Change posts them back to the form (nothing checked), scrolled to that answer;
3. the record button posts them with ``confirm``: they are checked again and recorded.

A refused form records nothing and shows what the user typed with GOV.UK's error summary;
success redirects (POST/redirect/GET) to the page showing the change, with a success banner.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict
from wtforms import Form

from ledger.application.service import RecordDetails
from ledger.domain.errors import UnknownFramework
from projections.views import UnknownAuthority
from web.accounts import Role
from web.auth.roles import require_role
from web.auth.session import current_user_name
from web.form_fields import RadiosField, options
from web.form_fields import options as options_of
from web.journey_services import JourneyServices
from web.recording import forms as creation
from web.recording import update_forms as updates
from web.recording.answers import answers, carried
from web.recording.catalogue import ACTION_UPDATES, UPDATE_PAGES, UpdatePage
from web.recording.choices import RECORD_KIND_LABELS, Choice, RecordChoices
from web.recording.corrections import CorrectionContext, correction_form, reading_periods
from web.recording.record_form import RecordForm
from web.recording.submission import record

#: The record an update form changes: its kind, its query parameter and how to name it.
TARGETS = {
    "action": ("action", "Which action?", "Select an action"),
    "recommendation": ("recommendation", "Which recommendation?", "Select a recommendation"),
    "indicator": ("indicator", "Which indicator?", "Select an indicator"),
    "person": ("person", "Who?", "Select the person"),
}


def choose_form(param: str, legend: str, choices: list[Choice], message: str) -> Form:
    """A GET form with one set of radios, for choosing what a form is about."""

    class ChooseForm(Form):  # type: ignore[misc]
        pass

    setattr(ChooseForm, param, RadiosField(legend, choices=options(choices), required=message))
    return ChooseForm(formdata=request.args if "choose" in request.args else None)


def submitted_step(form: RecordForm) -> str | None:
    """Which step a request is: ``None`` (the form first shown), ``"change"`` (back from the
    check page), ``"rows"`` (a group added or removed), ``"confirm"`` (record) or ``"check"``."""
    if request.method != "POST":
        return None
    if "change" in request.form:
        return "change"
    if any(name in request.form for name in form.STEP_BUTTONS):
        return "rows"
    return "confirm" if "confirm" in request.form else "check"


def create_blueprint(services: JourneyServices) -> Blueprint:
    """Build the ``record`` blueprint; register it inside the ``ledger`` blueprint."""
    bp = Blueprint("record", __name__)
    views = services.views

    def authority_name(slug: str) -> str:
        try:
            return str(views.authority(slug)["name"])
        except UnknownAuthority:
            abort(404)

    @bp.before_request
    def known_authority() -> None:
        """A form for an authority the ledger does not hold is not found."""
        slug = (request.view_args or {}).get("slug")
        if slug is not None:
            authority_name(slug)

    def details_of(kind: str, slug: str, ref: str) -> RecordDetails:
        found = services.ledger.record_details(kind, slug, ref)
        if found is None:
            abort(404)
        return found

    def version_of(kind: str, slug: str, ref: str) -> int:
        return details_of(kind, slug, ref).version

    def choose(
        slug: str,
        title: str,
        param: str,
        legend: str,
        choices: list[Choice],
        message: str,
        carry: dict[str, str] | None = None,
        empty: str = "",
    ) -> ResponseReturnValue:
        form = choose_form(param, legend, choices, message)
        if "choose" in request.args:
            form.validate()
        return render_template(
            "recording/choose.html",
            form=form,
            field=form[param],
            title=title,
            slug=slug,
            authority_name=authority_name(slug),
            carry=carry or {},
            empty=empty,
        )

    def handle(
        slug: str | None,
        form: RecordForm,
        title: str,
        raw: Callable[[], dict[str, Any]],
        success: Callable[[dict[str, Any]], tuple[str, str]],
        *,
        target: tuple[str, str] | None = None,
        summary: dict[str, Any] | None = None,
        about: str | None = None,
        **context: Any,
    ) -> ResponseReturnValue:
        """Show the form, check its answers, or record them (see the module's docstring)."""
        step = submitted_step(form)
        if step in ("check", "confirm"):
            valid = form.validate_on_submit()
            if "csrf_token" not in form.errors:  # a forged or stale post is told nothing more
                command = raw()
                # Checked by the ledger even when the form found problems: all in one round.
                outcome = record(
                    services, form, command, current_user_name(), dry_run=step == "check"
                )
                if valid and outcome.ok and step == "check":
                    return render_template(
                        "recording/check.html",
                        title=title,
                        slug=slug,
                        authority_name=authority_name(slug) if slug else None,
                        form=form,
                        answers=answers(form),
                        about=about,
                        carried=carried(request.form, form.STEP_BUTTONS),
                        return_to=request.full_path.rstrip("?"),
                    )
                if valid and outcome.ok:
                    message, location = success(command)
                    if outcome.recorded == 0:
                        message += " (it had already been recorded)"
                    flash(message, "success")
                    return redirect(location, code=303)
                if outcome.conflict and target is not None and slug is not None:
                    # Show the record as it is now; submitting again is then a deliberate choice.
                    form.expected_version.data = str(version_of(target[0], slug, target[1]))
                    summary = refresh_summary(slug, target)
        return render_template(
            "recording/form.html",
            form=form,
            title=title,
            slug=slug,
            authority_name=authority_name(slug) if slug else None,
            summary=summary,
            summary_kind=target[0] if target else None,
            general_anchor="record-summary" if target else None,
            item_hints={"rag": updates.RAG_ITEMS},
            **context,
        )

    def refresh_summary(slug: str, target: tuple[str, str]) -> dict[str, Any] | None:
        choices = RecordChoices(views, services.frameworks, slug)
        kind, ref = target
        if kind == "action":
            return choices.action(ref)
        if kind == "recommendation":
            return choices.recommendation(ref)
        if kind == "indicator":
            return choices.indicator(ref)
        if kind == "person":
            return choices.person(ref)
        return None

    # -- new records ---------------------------------------------------------------------

    @bp.route("/record/authority", methods=["GET", "POST"])
    @require_role(Role.RECORDER)
    def authority() -> ResponseReturnValue:
        """Register an authority."""
        form = creation.AuthorityForm()
        return handle(
            None,
            form,
            "Register an authority",
            lambda: form.to_command(""),
            lambda raw: (
                f"Registered {raw['name']}",
                url_for("ledger.dashboard", slug=raw["id"]),
            ),
        )

    @bp.route("/authorities/<slug>/record/inspection", methods=["GET", "POST"])
    @require_role(Role.RECORDER)
    def inspection(slug: str) -> ResponseReturnValue:
        """Record an inspection: choose its framework, then grade each of its areas."""
        key = request.args.get("framework", "")
        try:
            framework = services.frameworks.get(key)
        except UnknownFramework:
            frameworks = sorted(
                services.frameworks.frameworks.values(), key=lambda f: f.in_use_from, reverse=True
            )
            return choose(
                slug,
                "Record an inspection",
                "framework",
                "Which inspection framework was it under?",
                [(f.key, f.name) for f in frameworks],
                "Select the inspection framework",
            )
        form = creation.inspection_form(framework)()
        return handle(
            slug,
            form,
            "Record an inspection",
            lambda: form.to_command(slug),
            lambda raw: (
                f"Inspection {raw['id']} recorded",
                url_for("ledger.dashboard", slug=slug),
            ),
            framework=framework,
        )

    @bp.route("/authorities/<slug>/record/recommendation", methods=["GET", "POST"])
    @require_role(Role.RECORDER)
    def recommendation(slug: str) -> ResponseReturnValue:
        """Record a recommendation from an inspection or a visit."""
        choices = RecordChoices(views, services.frameworks, slug)
        form = creation.RecommendationForm()
        form.origin.choices = options(choices.origins())
        form.area.choices = options(choices.areas())
        return handle(
            slug,
            form,
            "Record a recommendation",
            lambda: form.to_command(slug),
            lambda raw: (
                f"Recommendation {raw['id']} recorded",
                url_for("ledger.recommendation", slug=slug, ref=raw["id"]),
            ),
            empty_choices="" if form.origin.choices else "inspection",
        )

    @bp.route("/authorities/<slug>/record/monitoring-visit", methods=["GET", "POST"])
    @require_role(Role.RECORDER)
    def monitoring_visit(slug: str) -> ResponseReturnValue:
        """Record a monitoring visit's letter and findings: as many as "Add another finding"
        makes room for."""
        formdata: MultiDict[str, str] | None = request.form if request.method == "POST" else None
        rows = creation.finding_rows(formdata) if formdata is not None else 1
        if formdata is not None and "add_finding" in formdata:
            rows += 1
        removed = formdata.get("remove_finding", "") if formdata is not None else ""
        if formdata is not None and removed.isdigit():
            formdata = creation.without_finding(formdata, int(removed))
            rows -= 1
        form = creation.monitoring_visit_form(rows)(formdata=formdata)
        return handle(
            slug,
            form,
            "Record a monitoring visit",
            lambda: form.to_command(slug),
            lambda raw: (
                f"Monitoring visit {raw['id']} recorded",
                url_for("ledger.dashboard", slug=slug),
            ),
        )

    @bp.route("/authorities/<slug>/record/decision", methods=["GET", "POST"])
    @require_role(Role.RECORDER)
    def decision(slug: str) -> ResponseReturnValue:
        """Record a decision and any investment."""
        form = creation.DecisionForm()
        return handle(
            slug,
            form,
            "Record a decision",
            lambda: form.to_command(slug),
            lambda raw: (f"Decision {raw['id']} recorded", url_for("ledger.dashboard", slug=slug)),
        )

    @bp.route("/authorities/<slug>/record/intervention", methods=["GET", "POST"])
    @require_role(Role.RECORDER)
    def intervention(slug: str) -> ResponseReturnValue:
        """Record an intervention."""
        form = creation.InterventionForm()
        form.lifts.choices = options(
            RecordChoices(views, services.frameworks, slug).interventions()
        )
        return handle(
            slug,
            form,
            "Record an intervention",
            lambda: form.to_command(slug),
            lambda raw: (
                f"Intervention {raw['id']} recorded",
                url_for("ledger.timeline", slug=slug, kind="intervention"),
            ),
        )

    @bp.route("/authorities/<slug>/record/action", methods=["GET", "POST"])
    @require_role(Role.RECORDER)
    def action(slug: str) -> ResponseReturnValue:
        """Record an improvement-plan action."""
        form = creation.ActionForm()
        choices = RecordChoices(views, services.frameworks, slug)
        form.answers.choices = options(choices.recommendations())
        form.person.choices = options([("", "Nobody yet"), *choices.people()])
        return handle(
            slug,
            form,
            "Record an action planned",
            lambda: form.to_command(slug),
            lambda raw: (
                f"Action {raw['id']} recorded",
                url_for(
                    "ledger.recommendation",
                    slug=slug,
                    ref=raw["answers"][0],
                    _anchor=f"action-{raw['id']}",
                ),
            ),
            empty_choices="" if form.answers.choices else "recommendation",
        )

    @bp.route("/authorities/<slug>/record/person", methods=["GET", "POST"])
    @require_role(Role.RECORDER)
    def person(slug: str) -> ResponseReturnValue:
        """Add someone who owns actions or is told about them."""
        form = creation.PersonForm()
        form.manager.choices = options(
            [("", "No one"), *RecordChoices(views, services.frameworks, slug).people()]
        )
        if not form.is_submitted():
            form.default_today(views.today())
        return handle(
            slug,
            form,
            "Add a person",
            lambda: form.to_command(slug),
            lambda raw: (
                f"Added {raw['name']}",
                url_for("ledger.people.person", slug=slug, ref=raw["id"]),
            ),
        )

    @bp.route("/authorities/<slug>/record/indicator", methods=["GET", "POST"])
    @require_role(Role.RECORDER)
    def indicator(slug: str) -> ResponseReturnValue:
        """Define an indicator to track."""
        form = creation.IndicatorForm()
        return handle(
            slug,
            form,
            "Record an indicator",
            lambda: form.to_command(slug),
            lambda raw: (
                f"Indicator {raw['id']} recorded",
                url_for("ledger.indicators", slug=slug, _anchor=f"indicator-{raw['id']}"),
            ),
        )

    # -- updates to a record -------------------------------------------------------------

    def update_success(slug: str, ref: str, raw: dict[str, Any]) -> tuple[str, str]:
        """The message and the page to show after an update: where the record's history is."""
        event = raw["type"]
        if event in ACTION_UPDATES:
            location = url_for("ledger.people.action", slug=slug, ref=ref)
            return f"{ACTION_UPDATES[event]} recorded for action {ref}", location
        if event in ("PersonUpdated", "PersonLeft"):
            what = "change" if event == "PersonUpdated" else "leaving"
            return (
                f"Their {what} is recorded",
                url_for("ledger.people.person", slug=slug, ref=ref),
            )
        if event == "IndicatorReadingRecorded":
            return (
                f"Reading recorded for indicator {ref}",
                url_for("ledger.indicators", slug=slug, _anchor=f"indicator-{ref}"),
            )
        what = "closed" if event == "RecommendationClosed" else "reopened"
        return (
            f"Recommendation {ref} recorded as {what}",
            url_for("ledger.recommendation", slug=slug, ref=ref),
        )

    def update(slug: str, page: UpdatePage) -> ResponseReturnValue:
        """Choose the record (unless the address names one), then show or record the form."""
        param, legend, message = TARGETS[page.target]
        choices = RecordChoices(views, services.frameworks, slug)
        if page.target == "action":
            options = choices.actions(open_only=page.choosable == "open")
        elif page.target == "recommendation":
            options = choices.recommendations(page.choosable)
        elif page.target == "person":
            options = choices.people()
        else:
            options = choices.indicators()
        ref = request.args.get(param, "")
        if ref not in {value for value, _ in options}:
            return choose(slug, page.title, param, legend, options, message, empty=page.target)
        form = page.form()
        if isinstance(form, updates.AssignActionForm):
            form.person.choices = options_of([("", "Choose a person"), *choices.people()])
        if isinstance(form, updates.PersonUpdateForm):
            others = [(r, label) for r, label in choices.people() if r != ref]
            form.manager.choices = options_of([("", "No one"), *others])
        if not form.is_submitted():
            form.expected_version.data = str(version_of(page.target, slug, ref))
            form.default_today(views.today())
            if isinstance(form, updates.PersonUpdateForm):
                form.fill_from(choices.person(ref) or {})
        return handle(
            slug,
            form,
            page.title,
            lambda: form.to_command(slug, ref),
            lambda raw: update_success(slug, ref, raw),
            target=(page.target, ref),
            summary=refresh_summary(slug, (page.target, ref)),
            about=f"{page.target.capitalize()} {dict(options)[ref]}",
        )

    def update_view(page: UpdatePage) -> Callable[[str], ResponseReturnValue]:
        def view(slug: str) -> ResponseReturnValue:
            return update(slug, page)

        view.__doc__ = page.title
        return view

    for page in UPDATE_PAGES:
        bp.add_url_rule(
            f"/authorities/<slug>/record/{page.path}",
            endpoint=page.endpoint,
            view_func=require_role(Role.RECORDER)(update_view(page)),
            methods=["GET", "POST"],
        )

    # -- corrections -----------------------------------------------------------------------

    @bp.route("/authorities/<slug>/record/correction", methods=["GET", "POST"])
    @require_role(Role.RECORDER)
    def correction(slug: str) -> ResponseReturnValue:
        """Correct an earlier record: choose its kind, then the record, then what was wrong."""
        title = "Record a correction"
        choices = RecordChoices(views, services.frameworks, slug)
        kind = request.args.get("record", "")
        if kind not in RECORD_KIND_LABELS:
            return choose(
                slug,
                title,
                "record",
                "What kind of record is wrong?",
                list(RECORD_KIND_LABELS.items()),
                "Select the kind of record",
            )
        options = choices.records(kind)
        ref = request.args.get("ref", "")
        if ref not in {value for value, _ in options}:
            return choose(
                slug,
                title,
                "ref",
                "Which record is wrong?",
                options,
                "Select the record to correct",
                carry={"record": kind},
                empty=kind,
            )
        current = details_of(kind, slug, ref)
        framework = (
            services.frameworks.get(current.fields["framework"]) if kind == "inspection" else None
        )
        indicator = choices.indicator(ref) if kind == "indicator" else None
        context = CorrectionContext(
            kind=kind,
            framework=framework,
            areas=tuple(choices.areas()),
            recommendations=tuple(choices.recommendations()),
            reading_periods=reading_periods(indicator),
            frameworks=services.frameworks,
            current=current.fields,
            readings={r["period_end"]: r["value"] for r in (indicator or {}).get("readings", [])},
            record_label=dict(options)[ref],
        )
        form = correction_form(context)()
        if not form.is_submitted():
            form.expected_version.data = str(current.version)
            form.fill_from(current.fields)
        return handle(
            slug,
            form,
            title,
            lambda: form.to_command(slug, ref),
            lambda _raw: (
                f"Correction to {kind.replace('_', ' ')} {ref} recorded",
                url_for("ledger.timeline", slug=slug, kind="correction"),
            ),
            target=(kind, ref),
            record_label=dict(options)[ref],
            correction=True,
            about=f"Correcting {dict(options)[ref]}",
        )

    return bp
