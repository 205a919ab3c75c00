"""Intact: the integrity system for Dutch public bodies and NGOs."""

__version__ = "0.1.0"
