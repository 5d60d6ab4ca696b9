"""The `sitegen` command line: parses arguments, runs a command, prints errors without
tracebacks (unless --debug) and returns the exit code: 0 ok, 1 content or template
errors, 2 usage or configuration errors, 70 a bug in sitegen.

Every command's arguments are declared here, and its code is imported only when it runs
(`"module:function"` below): `sitegen --help` and `--version` load no stage of the build.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sitegen import __version__
from sitegen.commands import options


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitegen",
        description="Build an opinion-news site: articles, bylines, sections, tags and feeds.",
    )
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for declare in (_build, _serve, _new, _import, _deploy, _check, _schedule):
        declare(commands)
    return parser


def _build(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    build = commands.add_parser("build", help="build the site into build/",
                                description="Render the site in --site into its output folder.")
    options.site_options(build)
    build.add_argument("--output", type=Path, default=None,
                       help="output folder (default: SITE/build)")
    build.add_argument("--base-url", default=None, help="override base_url from sitegen.yaml")
    build.add_argument("--jobs", "-j", type=options.jobs, default=None, metavar="N",
                       help="processes for Markdown and rendering (default: one per CPU)")
    build.add_argument("--clean", action="store_true",
                       help="ignore the build cache in .sitegen-cache/ and render everything")
    noise = build.add_mutually_exclusive_group()
    noise.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    noise.add_argument("--verbose", "-v", action="store_true",
                       help="print stage timings, and every place of a repeated problem")
    build.set_defaults(run="sitegen.commands.build:run")


def _serve(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = commands.add_parser(
        "serve", help="preview the site: build, serve, rebuild and reload on every save",
        description="Build the site into SITE/build, serve it on 127.0.0.1 with live reload, "
                    "and rebuild whenever content/, themes/, static/ or sitegen.yaml change.")
    options.site_options(serve)
    serve.add_argument("--bind", default="127.0.0.1", metavar="ADDRESS",
                       help="address to listen on (default: 127.0.0.1; anything else is "
                       "reachable from other machines)")
    serve.add_argument("--port", type=options.port, default=None,
                       help="port (default: 8000, or the next free one; 0: any free port)")
    serve.add_argument("--no-reload", action="store_true",
                       help="do not inject the live-reload script into pages")
    serve.add_argument("--poll", action="store_true",
                       help="poll for changes instead of using OS events (network and "
                       "container mounts)")
    serve.set_defaults(run="sitegen.serve.command:cmd_serve")


def _new(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    new = commands.add_parser("new", help="start a new site or article",
                              description="Create the files of a new site or article.")
    kinds = new.add_subparsers(dest="kind", metavar="KIND", required=True)
    site = kinds.add_parser("site", help="a minimal site that builds at once",
                            description="Create a minimal site: sitegen.yaml, one author, "
                            "one article and an About page.")
    site.add_argument("dir", type=Path, metavar="DIR", help="the new site's folder")
    site.add_argument("--title", default=None, help="the publication's name "
                      "(default: from the folder name)")
    article = kinds.add_parser("article", help="a new draft article dated now",
                               description="Create content/articles/YEAR/SLUG.md, a draft "
                               "(`draft: true`) dated now in the site's time zone.")
    article.add_argument("headline", help="the headline, in quotes")
    article.add_argument("--author", default=None, metavar="ID",
                         help="an author id (a file in content/authors/)")
    article.add_argument("--section", default=None, help="a section from sitegen.yaml")
    article.add_argument("--tags", type=options.tags, default=(), metavar="A,B",
                         help="comma-separated tags")
    options.site_folder(article)
    for parser in (site, article):
        options.now_option(parser)
    site.set_defaults(run="sitegen.commands.scaffold:cmd_new_site")
    article.set_defaults(run="sitegen.commands.scaffold:cmd_new_article")


def _import(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "import", help="turn plain-text hand-ins, or another tool's archive, into articles",
        description="Turn plain-text hand-ins (headline, dek, paragraphs, `Author: Name`, bio) "
        "into content/articles/YEAR/SLUG.md and, for new writers, content/authors/ID.yaml. "
        "A file's own front matter wins over the options below. With --from KIND, SOURCE is "
        "a Jekyll, Hugo, Eleventy or Pelican site folder, or a WordPress export (WXR) file: "
        "its posts, pages and authors are imported, and their old URLs kept as aliases.")
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE",
                        help="hand-in text files, or with --from, the one SOURCE")
    parser.add_argument("--from", dest="from_tool", default=None, metavar="KIND",
                        choices=["jekyll", "hugo", "eleventy", "pelican", "wordpress"],
                        help="import another tool's site: jekyll, hugo, eleventy, pelican "
                        "or wordpress")
    options.site_folder(parser)
    parser.add_argument("--date", type=options.date_text, default=None,
                        help="publication date (YYYY-MM-DD or ISO datetime) for files whose "
                        "front matter has none; default: today in the site's time zone")
    parser.add_argument("--section", default=None, help="section for files that name none")
    parser.add_argument("--tags", type=options.tags, default=(), metavar="A,B",
                        help="comma-separated tags for files that name none")
    parser.add_argument("--force", action="store_true",
                        help="replace files that already exist with other content")
    options.now_option(parser)
    parser.set_defaults(run="sitegen.commands.importer:cmd_import")


def _deploy(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "deploy", help="publish the build to a target named in sitegen.yaml",
        description="Publish SITE/build to a target under `deploy:` in sitegen.yaml: with "
        "rsync to a folder or host:path (only changed files are sent, files the build no "
        "longer has are deleted), or as one commit on a branch of a git repository, pushed. "
        "Refuses a build that failed, is older than the sources, or was made with --drafts "
        "or --future.")
    parser.add_argument("target", nargs="?", default=None, metavar="TARGET",
                        help="a target under `deploy:` (default: the first one)")
    options.site_folder(parser)
    parser.add_argument("--dry-run", "-n", action="store_true",
                        help="list what would be sent and deleted, and change nothing")
    parser.set_defaults(run="sitegen.commands.deploy:cmd_deploy")


def _check(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "check", help="look the site over: broken links, missing images, alt text, deks",
        description="Build the site in memory (nothing is written) and report, at the "
        "source's line, internal links, anchors and images that lead nowhere, articles "
        "without a dek, lead images without alt text, headlines over 110 characters, an "
        "example base_url and template syntax left in bodies. Exit 1 on an error, 0 with "
        "warnings only.")
    options.site_folder(parser)
    parser.add_argument("--external", action="store_true",
                        help="also check links to other sites (HEAD, then GET; results "
                        "kept for a day in .sitegen-cache/)")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text (path:line:col: ...) or json, for CI")
    options.now_option(parser, "check the site as built at this time (ISO 8601)")
    parser.set_defaults(run="sitegen.commands.check:cmd_check")


def _schedule(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "schedule", help="list scheduled articles; `schedule next`: when to rebuild",
        description="List the articles not due yet with their due times in the site's time "
        "zone. `sitegen schedule next` prints the next moment the published site changes "
        "(an article becomes due, one leaves the news sitemap's 48 hours) as an ISO "
        "timestamp, and nothing when there is none.")
    parser.add_argument("what", nargs="?", choices=("list", "next"), default="list",
                        help="list (the default) or next")
    options.site_folder(parser)
    options.now_option(parser, "answer as if at this time (ISO 8601)")
    parser.set_defaults(run="sitegen.commands.schedule:cmd_schedule")


def _command(target: str) -> Callable[[argparse.Namespace], int]:
    """The function `module:name` names, imported now that it runs."""
    module, _, name = target.partition(":")
    function: Callable[[argparse.Namespace], int] = getattr(importlib.import_module(module), name)
    return function


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    from sitegen.errors import SitegenError

    try:
        return _command(args.run)(args)
    except SitegenError as exc:
        if args.debug:
            raise
        print(str(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.debug:
            raise
        print(f"internal error: {type(exc).__name__}: {exc}. This is a bug in sitegen; rerun "
              "with --debug for the traceback and report it.", file=sys.stderr)
        return 70
