"""Read-side products made from the query API: table exports and the board pack."""
