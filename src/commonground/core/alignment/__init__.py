"""Staying aligned: check-in items, anonymous results, drift, perception gaps and escalation.

Pure calculations over answers collected by the workspace or read from a CSV export of another survey
tool (``commonground pulse analyse``). The same functions serve both, so a figure suppressed on a web
page is suppressed in every export too.
"""
