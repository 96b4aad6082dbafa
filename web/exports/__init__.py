"""Downloads of the journey's lists (CSV, XLSX) and the board pack page."""
