"""The GOV.UK error summary's list for a form: each field's first error, linking to where the
user can fix it (the day box of a date, the first radio), then any problem with the form as a
whole, linking to ``general_anchor`` (such as the summary of the record it changes)."""

from __future__ import annotations

from typing import Any

from wtforms import Field, Form

from web.form_fields import error_anchor


def _in_page_order(form: Form) -> list[Field]:
    """The form's fields in the order the page shows them (a form's ``layout()``, if it has
    one, names them, grouped or not), then any others."""
    layout = getattr(form, "layout", None)
    names: list[str] = []
    for item in layout() if callable(layout) else []:
        names.extend([item] if isinstance(item, str) else item.fields)
    shown = [form[name] for name in names if name in form]
    return shown + [field for field in form if field.name not in names]


def error_list(form: Form, general_anchor: str | None = None) -> list[dict[str, Any]]:
    """The ``errorList`` for ``govukErrorSummary``, in the order the fields appear."""
    items: list[dict[str, Any]] = []
    for field in _in_page_order(form):
        if field.errors:
            items.append({"text": str(field.errors[0]), "href": f"#{error_anchor(field)}"})
    for message in form.form_errors:
        item: dict[str, Any] = {"text": str(message)}
        if general_anchor:
            item["href"] = f"#{general_anchor}"
        items.append(item)
    return items


def has_errors(form: Form | None) -> bool:
    """Whether ``form`` has any error, on a field or as a whole."""
    return form is not None and bool(form.errors)
