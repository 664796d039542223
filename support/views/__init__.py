"""The support pages. Each module exposes its own `urlpatterns`."""
