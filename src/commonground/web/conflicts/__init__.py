"""The conflict log between a partnership's partners, with its ladder and the facilitator's notes."""
