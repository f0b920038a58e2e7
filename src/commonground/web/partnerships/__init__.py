"""Partnerships: organisations working together as equals, with facilitators and joint initiatives."""
