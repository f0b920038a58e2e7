"""A partnership's health: pulse, collaboration factors, KPIs, commitments and conflicts side by side."""
