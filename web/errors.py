"""GOV.UK-style error pages: never a stack trace, always the service's own layout."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from web.accounts import AccountStoreUnavailable

#: Page headings for the status codes that have their own wording in ``errors/error.html``.
HEADINGS: dict[int, str] = {
    400: "Sorry, there is a problem with your request",
    401: "You need to sign in",
    403: "You do not have permission to see this page",
    404: "Page not found",
    405: "Sorry, this page cannot do that",
    429: "Too many attempts",
    500: "Sorry, there is a problem with the service",
    503: "Sorry, the service is unavailable",
}


def render_error(code: int, *, expired_form: bool = False) -> str:
    """Render the error page for ``code`` (an HTTP status)."""
    heading = HEADINGS.get(code, "Sorry, there is a problem")
    return render_template(
        "errors/error.html", code=code, heading=heading, expired_form=expired_form
    )


def register_error_handlers(app: Flask) -> None:
    """Show every HTTP error, and any unexpected exception, as a GOV.UK error page."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        headers = [
            (key, value)
            for key, value in error.get_headers()
            if key.lower() not in {"content-type", "content-length"}
        ]
        expired_form = isinstance(error, CSRFError)
        if expired_form:
            app.logger.warning("Rejected a form post to %s: %s", request.path, error.description)
        return render_error(code, expired_form=expired_form), code, headers

    @app.errorhandler(AccountStoreUnavailable)
    def accounts_unavailable(error: AccountStoreUnavailable) -> ResponseReturnValue:
        app.logger.error("Account store unavailable: %s", error)
        return http_error(ServiceUnavailable())

    # Flask hands unhandled exceptions to the InternalServerError handler after logging
    # them, so this is where a crash becomes the 500 page.
    app.register_error_handler(InternalServerError, http_error)
