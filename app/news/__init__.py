"""News: categories, articles (vi and en versions), tags; the public news pages, feeds and search."""
