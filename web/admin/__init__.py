"""User management for admins."""
