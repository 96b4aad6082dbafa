"""Build the web app's front-end assets from the ``govuk-frontend`` npm package.

Run after ``npm ci``::

    python -m web.assets

It writes ``web/static/govuk/`` (git-ignored):

* ``application.css`` – GOV.UK Frontend's Sass plus ``web/styles/application.scss``, compiled
  with the ``sass`` npm package. It is compiled rather than copied because this service is
  not on GOV.UK, so it must not use the GDS Transport typeface; that also means no font
  files are needed.
* ``govuk-frontend.min.js`` – GOV.UK Frontend's JavaScript, an ES module.
* ``VERSION`` – the govuk-frontend version the files came from.

The GOV.UK crown icons and ``manifest.json`` are deliberately not copied: they are
GOV.UK's brand. The service's own favicon lives in ``web/static/images/``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

WEB_ROOT = Path(__file__).resolve().parent
REPO_ROOT = WEB_ROOT.parent
OUTPUT_DIR = WEB_ROOT / "static" / "govuk"
STYLESHEET = WEB_ROOT / "styles" / "application.scss"
JAVASCRIPT = "govuk-frontend.min.js"


class AssetBuildError(RuntimeError):
    """The assets could not be built; the message says what to do."""


def govuk_frontend_version(node_modules: Path) -> str:
    """The installed govuk-frontend version, or raise :class:`AssetBuildError`."""
    package_json = node_modules / "govuk-frontend" / "package.json"
    if not package_json.is_file():
        raise AssetBuildError(
            f"govuk-frontend is not installed in {node_modules}: run `npm ci` in {REPO_ROOT}"
        )
    version = json.loads(package_json.read_text(encoding="utf-8")).get("version")
    if not isinstance(version, str):
        raise AssetBuildError(f"{package_json} has no version")
    return version


def build(node_modules: Path, output: Path) -> str:
    """Write the assets into ``output`` (replacing what is there); return the version."""
    version = govuk_frontend_version(node_modules)
    dist = node_modules / "govuk-frontend" / "dist" / "govuk"
    sass = node_modules / ".bin" / "sass"
    if not sass.exists():
        raise AssetBuildError(f"The sass compiler is missing from {node_modules}: run `npm ci`")

    staging = output.with_name(output.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        shutil.copy2(dist / JAVASCRIPT, staging / JAVASCRIPT)
        result = subprocess.run(
            [
                str(sass),
                "--no-source-map",
                "--no-error-css",
                "--style=compressed",
                "--quiet-deps",
                f"--load-path={node_modules}",
                str(STYLESHEET),
                str(staging / "application.css"),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise AssetBuildError(f"Compiling {STYLESHEET.name} failed:\n{result.stderr}")
        (staging / "VERSION").write_text(f"govuk-frontend {version}\n", encoding="utf-8")
    except (OSError, AssetBuildError):
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(output, ignore_errors=True)
    staging.rename(output)
    return version


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m web.assets",
        description="Build web/static/govuk/ from the govuk-frontend npm package.",
    )
    parser.add_argument(
        "--node-modules",
        type=Path,
        default=REPO_ROOT / "node_modules",
        help="where `npm ci` installed the packages (default: %(default)s)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=OUTPUT_DIR,
        help="directory to write (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    try:
        version = build(args.node_modules, args.output)
    except (AssetBuildError, OSError) as error:
        print(f"web.assets: {error}", file=sys.stderr)
        return 1
    print(f"Built {args.output} from govuk-frontend {version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
