"""sitegen: a static site generator for opinion-news publications."""

__version__ = "0.1.0"
