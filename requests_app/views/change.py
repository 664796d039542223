"""Déclarer un changement (guides 000 and 002): choose the change, then its own steps."""

urlpatterns = []
