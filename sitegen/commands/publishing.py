"""What `sitegen new site` writes for publishing: CI workflows and the site's README.

- `.github/workflows/pages.yml`: GitHub Pages, built by GitHub Actions at every push;
- `.gitlab-ci.yml`: GitLab Pages, a `pages` job publishing `public/`;
- `README.md`: how to write, build and deploy, to Netlify, Cloudflare Pages, S3 or a plain
  web server (rsync), with the cache headers a news site wants.
"""

from __future__ import annotations

GITHUB_PAGES = """\
# GitHub Pages: builds the site with sitegen and publishes it at every push to main.
#
# Once: in the repository's Settings > Pages, set "Source" to "GitHub Actions".
# The site is published at the address GitHub gives it (https://USER.github.io/REPO/, or
# your custom domain); the build takes that address as base_url, so links and feeds work.
name: Publish to GitHub Pages

on:
  push:
    branches: [main]
  # Articles dated in the future appear at the first build after their time: build hourly.
  schedule:
    - cron: "17 * * * *"
  # A "Run workflow" button in the Actions tab.
  workflow_dispatch:

# What the job's token may do: read the code, publish to Pages, prove who it is to Pages.
permissions:
  contents: read
  pages: write
  id-token: write

# One publication at a time; a newer one waits rather than cancel one under way.
concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - name: Check out the site
        uses: actions/checkout@v4
      - name: Set up Python
        uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install sitegen
        run: pip install sitegen
      - name: Ask Pages for the site's address
        id: pages
        uses: actions/configure-pages@v5
      - name: Build the site into build/
        # Drop --base-url to use base_url from sitegen.yaml instead.
        run: sitegen build --base-url "${{ steps.pages.outputs.base_url }}/"
      - name: Upload build/ for Pages
        uses: actions/upload-pages-artifact@v3
        with:
          path: build

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - name: Publish
        id: deployment
        uses: actions/deploy-pages@v4
"""

GITLAB_CI = """\
# GitLab Pages: builds the site with sitegen and publishes it at every push to the
# default branch. GitLab publishes the folder `public/` of the job called `pages`.
#
# The site is published at the address GitLab gives it ($CI_PAGES_URL, or your custom
# domain); the build takes that address as base_url, so links and feeds work.
# Articles dated in the future appear at the first build after their time: add a
# pipeline schedule (Build > Pipeline schedules), e.g. hourly.
pages:
  image: python:3.12-slim
  script:
    - pip install sitegen
    # Drop --base-url to use base_url from sitegen.yaml instead.
    - sitegen build --output public --base-url "$CI_PAGES_URL/"
  artifacts:
    paths:
      - public
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
"""

DEPLOYING = """\
## Deploying

`sitegen build` writes the whole site into `build/`: plain files that any static host
serves. Set `base_url` in `sitegen.yaml` to the address readers will use (feeds, the
sitemap and canonical links carry it).

### GitHub Pages and GitLab Pages

Push the site to a repository: `.github/workflows/pages.yml` (GitHub: set Settings > Pages >
Source to "GitHub Actions") or `.gitlab-ci.yml` (GitLab) builds and publishes it at every
push. Both pass the host's address as `--base-url`.

### Netlify

New site from Git, then: build command `pip install sitegen && sitegen build`, publish
directory `build`, and the environment variable `PYTHON_VERSION=3.12`. A file
`static/_headers` (copied into `build/`) sets cache headers, as below.

### Cloudflare Pages

Create a project from the repository: build command `pip install sitegen && sitegen build`,
build output directory `build`, environment variable `PYTHON_VERSION=3.12`. Cloudflare
reads the same `static/_headers` file as Netlify.

### Amazon S3 (with CloudFront)

```sh
sitegen build
aws s3 sync build/ s3://BUCKET/ --delete --exclude "*" --include "*.html" \\
    --include "*.xml" --include "*.json" --include "robots.txt" --cache-control "no-cache"
aws s3 sync build/ s3://BUCKET/ --delete --exclude "*.html" --exclude "*.xml" \\
    --exclude "*.json" --exclude "robots.txt" --cache-control "public, max-age=86400"
```

sitegen keeps the files it did not change as they were (same modification time), so
`aws s3 sync` uploads only the pages an edit changed. Invalidate `/*` in CloudFront, or
rely on the short cache of HTML and feeds.

### A plain web server (rsync)

Name the server in `sitegen.yaml` and let sitegen send the build:

```yaml
deploy:
  web: {rsync: "user@example.org:/var/www/site/"}
```

`sitegen build && sitegen deploy` sends only the files whose bytes changed and deletes
those the build no longer has (`sitegen deploy --dry-run` lists them first). It refuses a
build that failed, is older than the sources or was made with `--drafts` or `--future`.
A `git` target (`pages: {git: git@example.org:site.git, branch: gh-pages}`) commits the
build to a branch instead, one commit per deploy.

### Cache headers

News changes by the minute; CSS and images rarely; sitegen keeps the same file names for
all of them. So:

- HTML pages, feeds (`feed.xml`, `rss.xml`, `feed.json`), sitemaps and `robots.txt`:
  `Cache-Control: no-cache` (readers and feed readers revalidate, and get a 304 when
  nothing changed), or at most a few minutes' `max-age`.
- `/css/`, `/images/`, `favicon.svg`: `Cache-Control: public, max-age=86400` (a day; not
  `immutable`: an edited stylesheet keeps its name).
- `/pagefind/` (search): files whose names carry a hash (`*.pf_*`) may be cached for a
  year; `pagefind.js` and `pagefind-entry.json` like HTML.
- Serve `rss.xml` as `application/rss+xml`, `feed.xml` as `application/atom+xml` and
  `feed.json` as `application/feed+json` (or `application/xml` and `application/json`).

For Netlify and Cloudflare Pages, `static/_headers`:

```text
/*
  Cache-Control: no-cache
/css/*
  Cache-Control: public, max-age=86400
/images/*
  Cache-Control: public, max-age=86400
```

For nginx:

```nginx
location / { add_header Cache-Control "no-cache"; }
location ~ ^/(css|images)/ { add_header Cache-Control "public, max-age=86400"; }
```
"""


def site_readme(title: str) -> str:
    """The README of a new site: what is where, how to build, and how to deploy."""
    return f"""\
# {title}

A news site built with sitegen.

- `content/articles/`: the articles, one Markdown (or plain-text) file each;
  `sitegen new article "Headline" --author the-editors` starts one.
- `content/authors/`: one profile per writer; `content/pages/`: About and other pages.
- `sitegen.yaml`: the site's settings; `static/`: images and files copied as they are.

`sitegen serve` previews the site at http://127.0.0.1:8000/ and rebuilds on every save;
`sitegen build` writes it into `build/`.

{DEPLOYING}"""
