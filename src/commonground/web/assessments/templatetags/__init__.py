"""Template filters of the assessments app."""
