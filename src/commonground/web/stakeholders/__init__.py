"""The stakeholder register of a partnership: the partners' stakeholders merged, plus its own entries."""
