"""Read models folded from the ledger's events: judgements, recommendations, actions, timeline,
indicators. Each is a pure fold into a per-authority JSON document plus pure queries over it."""
