"""Hôpitaux de proximité: their listing, territory, activities run inside, and partnerships."""
