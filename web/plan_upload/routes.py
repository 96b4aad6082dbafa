"""Upload an improvement-plan tracker, see exactly what would be recorded (a GOV.UK "check
your answers" page built from a dry run), then record it: nested in the ``ledger`` blueprint
as ``ledger.plan_upload.<view>``, for recorders and admins.

Nothing is recorded until the user confirms; what is recorded is what was shown (if the ledger
changed in between, the check is shown again); a tracker with problems is refused whole, with
each problem named by sheet, row and column in an error summary.
"""

from __future__ import annotations

import hashlib

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from ledger.application.imports.mapping import BadMapping, PlanMapping, parse_mapping
from ledger.application.imports.plans import PlanImport, PlanRejected, import_plan
from ledger.application.imports.spreadsheets import UnreadableSpreadsheet
from ledger.domain.errors import LedgerError
from projections.views import UnknownAuthority
from web.accounts import Role
from web.auth.roles import require_role
from web.auth.session import current_user_name
from web.journey_services import JourneyServices
from web.plan_upload.forms import MAX_UPLOAD_BYTES, ConfirmPlanForm, PlanUploadForm
from web.plan_upload.store import Upload, UploadStore

KIND_LABELS = {
    "planned": "New action",
    "corrected": "Correction",
    "revised": "Due date revised",
    "updated": "Progress update",
    "completed": "Action completed",
}


def checked_digest(result: PlanImport) -> str:
    """What the check showed, so the recording can be refused if it would differ."""
    text = "\n".join(f"{c.kind}|{c.action}|{c.summary}|{c.events}" for c in result.changes)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def create_blueprint(services: JourneyServices) -> Blueprint:
    """Build the ``plan_upload`` blueprint; register it inside the ``ledger`` blueprint."""
    bp = Blueprint("plan_upload", __name__)
    store = UploadStore(services.uploads)

    def authority_or_404(slug: str) -> dict[str, object]:
        try:
            return services.views.authority(slug)
        except UnknownAuthority:
            abort(404)

    def mapping_of(upload: Upload) -> PlanMapping:
        if upload.mapping is None:
            return PlanMapping()
        return parse_mapping(upload.mapping, "the mapping file")

    def run(slug: str, upload: Upload, dry_run: bool) -> PlanImport:
        return import_plan(
            services.ledger,
            upload.file_name,
            upload.data,
            slug,
            current_user_name(),
            mapping=mapping_of(upload),
            sheet=upload.sheet,
            dry_run=dry_run,
        )

    @bp.route("/authorities/<slug>/record/plan", methods=["GET", "POST"])
    @require_role(Role.RECORDER)
    def upload(slug: str) -> ResponseReturnValue:
        """Choose the tracker; a valid one goes to the check page."""
        authority = authority_or_404(slug)
        form = PlanUploadForm()
        problems: list[str] = []
        if form.validate_on_submit():
            data = form.tracker.data.read(MAX_UPLOAD_BYTES + 1)
            mapping_text = None
            if form.mapping.data:
                try:
                    mapping_text = form.mapping.data.read(MAX_UPLOAD_BYTES).decode("utf-8")
                except UnicodeDecodeError:
                    form.mapping.errors.append("The mapping file must be text (UTF-8)")
            if len(data) > MAX_UPLOAD_BYTES:
                form.tracker.errors.append("The tracker must be smaller than 10 MB")
            elif not data:
                form.tracker.errors.append("The selected file is empty")
            if not form.errors:
                stored = store.put(
                    form.tracker.data.filename or "tracker.xlsx",
                    data,
                    (form.sheet.data or "").strip() or None,
                    mapping_text,
                )
                try:
                    run(slug, stored, dry_run=True)
                except PlanRejected as rejected:
                    problems = [str(p) for p in rejected.errors]
                    store.discard(stored.token)
                except (BadMapping, UnreadableSpreadsheet) as error:
                    problems = [str(error)]
                    store.discard(stored.token)
                else:
                    return redirect(
                        url_for("ledger.plan_upload.check", slug=slug, token=stored.token),
                        code=303,
                    )
        return render_template(
            "plan_upload/upload.html",
            slug=slug,
            authority=authority,
            form=form if form.errors else None,
            upload_form=form,
            problems=problems,
        )

    @bp.route("/authorities/<slug>/record/plan/<token>", methods=["GET", "POST"])
    @require_role(Role.RECORDER)
    def check(slug: str, token: str) -> ResponseReturnValue:
        """Check your answers: every event the tracker would record; confirm to record them."""
        authority = authority_or_404(slug)
        uploaded = store.get(token)
        if uploaded is None:
            abort(404)
        confirm = ConfirmPlanForm()
        changed_meanwhile = False
        try:
            if confirm.validate_on_submit():
                preview = run(slug, uploaded, dry_run=True)
                if checked_digest(preview) == confirm.checked.data:
                    result = run(slug, uploaded, dry_run=False)
                    store.discard(token)
                    flash(
                        f"{uploaded.file_name}: {result.new_events} "
                        f"{'event' if result.new_events == 1 else 'events'} recorded",
                        "success",
                    )
                    return redirect(url_for("ledger.actions", slug=slug), code=303)
                changed_meanwhile = True
            preview = run(slug, uploaded, dry_run=True)
        except PlanRejected as rejected:
            store.discard(token)
            return render_template(
                "plan_upload/upload.html",
                slug=slug,
                authority=authority,
                form=None,
                upload_form=PlanUploadForm(formdata=None),
                problems=[str(p) for p in rejected.errors],
            )
        except LedgerError as error:
            abort(400, description=str(error))
        confirm.token.data = token
        confirm.checked.data = checked_digest(preview)
        return render_template(
            "plan_upload/check.html",
            slug=slug,
            authority=authority,
            preview=preview,
            confirm=confirm,
            kind_labels=KIND_LABELS,
            changed_meanwhile=changed_meanwhile,
        )

    return bp
