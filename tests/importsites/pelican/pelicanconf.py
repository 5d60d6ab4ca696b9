# A small Pelican newsroom, written for sitegen's import tests.
AUTHOR = "Desk of the Quay"
SITENAME = "Quayside Weekly"
PATH = "content"
TIMEZONE = "Europe/Lisbon"
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
PAGE_URL = "{slug}/"
STATIC_PATHS = ["images"]
