"""Reviewing and moving on: the periodic review of shared goals, the stage of the cycle, a planned exit."""
