"""The names sitegen gives files and folders in a site, in a module that imports nothing, so
that the no-op check of `sitegen build` (sitegen.engine.uptodate) loads no stage."""

CONFIG_NAME = "sitegen.yaml"
CACHE_DIR = ".sitegen-cache"  # what the last builds learnt: the cache, the no-op records
