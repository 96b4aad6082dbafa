"""The web app's shell: GOV.UK-styled pages, sign-in, roles and user management.

Build the app with :func:`web.app.create_app`; nothing here is built at import time.
"""
