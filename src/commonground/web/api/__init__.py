"""The open API under /api/v1: access tokens, and the organisations, partnerships and assessments routers."""
