"""Intact's benchmarks: ``python -m benchmarks.run [--quick] [--only NAME]`` writes docs/benchmarks.md.

Every figure is reported next to a baseline measured in the same run (the bare
Argon2id cost for intake, the raw SQL of the same query for staff pages), so
that the ratios stay meaningful on a busy or slow machine.
"""
