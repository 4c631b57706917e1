"""Web: the base layout, home page, dashboard and shared template pieces."""
