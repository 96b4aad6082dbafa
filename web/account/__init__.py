"""A signed-in user's own account: choosing their own password."""
