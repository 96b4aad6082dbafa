"""Signing in and out, the sign-in guard, roles and the identity-provider seam."""
