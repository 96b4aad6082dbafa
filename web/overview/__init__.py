"""The national and regional view: every authority's grades, counts and a chart over the years."""
