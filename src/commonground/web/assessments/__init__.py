"""Assessments: stored snapshots of the engine run on a partnership's current profiles."""
