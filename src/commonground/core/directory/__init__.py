"""A directory of many organisations on disk, and discovery of partners in it.

``storage`` (segments of memory-mapped vectors, atomic manifest), ``search`` (exact int8 scan with
float re-rank), ``records`` (what is kept per organisation), ``importers`` (profile files, JSON
Lines, CSV, the Charity Commission extract, IRS Form 990), ``building`` (the engine reads each
organisation once), ``discovery`` (fast stage, red lines, the full assessment of a shortlist)
and ``all_pairs`` with ``all_pairs_jobs`` (every organisation's best matches, in blocks, on a process
pool or a Dask cluster).
See docs/discovery.md.
"""
