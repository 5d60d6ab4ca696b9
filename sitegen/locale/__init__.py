"""Localisation: message catalogues (`messages/<tag>.yaml`), language tags, dates, numbers,
plurals and list patterns from CLDR (through Babel), and reading time by script.

Nothing here is imported by `sitegen --help`; Babel itself is imported only when a date,
number or tag is first formatted or checked (see `sitegen.locale.tags`).
"""
