"""How the web app finds out who someone is: the seam for other sign-in methods.

The sign-in page talks only to an :class:`IdentityProvider`. Today the one provider is
:class:`LocalPasswordIdentityProvider`, which checks a name and password against the
:class:`~web.accounts.AccountStore`.

Single sign-on with Microsoft Entra ID (OpenID Connect) is expected later. It would fit
like this, with no change to the rest of the app:

* a new provider class whose sign-in is a redirect rather than a form. It would add two
  routes to the ``auth`` blueprint — one that sends the browser to Entra ID with a ``state``
  and PKCE verifier kept in the session, and a callback that exchanges the code for an ID
  token and validates it (issuer, audience, nonce, expiry);
* the validated token's ``preferred_username`` (or ``oid``) is mapped to an
  :class:`~web.accounts.Account` name. Roles stay in the :class:`~web.accounts.AccountStore`
  (or come from Entra app roles mapped to :class:`~web.accounts.Role`), so an admin still
  decides who is a recorder;
* the callback then calls :func:`web.auth.session.start_session` exactly as the password
  form does, so ``require_role`` and :func:`web.auth.session.current_user_name` keep working.
"""

from __future__ import annotations

from typing import Protocol

from web.accounts import Account, AccountStore


class IdentityProvider(Protocol):
    """Checks a person's credentials and says which account they belong to."""

    @property
    def kind(self) -> str:
        """A short name for the sign-in method, such as ``"local-password"``."""
        ...

    def authenticate(self, name: str, password: str) -> Account | None:
        """Return the account these credentials prove, or ``None`` when they prove nothing."""
        ...


class LocalPasswordIdentityProvider:
    """Signs people in with the name and password held in the account store."""

    def __init__(self, accounts: AccountStore) -> None:
        self._accounts = accounts

    @property
    def kind(self) -> str:
        """Always ``"local-password"``."""
        return "local-password"

    def authenticate(self, name: str, password: str) -> Account | None:
        """Return the account when the password is right for the name."""
        return self._accounts.authenticate(name, password)
