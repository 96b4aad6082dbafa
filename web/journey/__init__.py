"""The ledger's pages: dashboard, timeline, recommendations, actions, indicators and audit."""
