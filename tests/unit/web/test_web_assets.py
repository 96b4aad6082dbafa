"""Building web/static/govuk/ from the govuk-frontend npm package."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from web.assets import REPO_ROOT, main

NODE_MODULES = REPO_ROOT / "node_modules"


def test_missing_node_modules_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["--node-modules", str(tmp_path / "nothing"), "--output", str(tmp_path / "out")])
    assert status == 1
    assert "run `npm ci`" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_package_json_pins_an_exact_govuk_frontend_version() -> None:
    package = json.loads((REPO_ROOT / "package.json").read_text())
    version = package["dependencies"]["govuk-frontend"]
    assert version[0].isdigit(), "pin an exact version, not a range"
    assert version.split(".")[0] == "6", "govuk-frontend-jinja 4.x targets GOV.UK Frontend 6"


@pytest.mark.skipif(not (NODE_MODULES / "govuk-frontend").is_dir(), reason="run `npm ci` first")
def test_build_writes_css_without_gds_transport_and_the_js(tmp_path: Path) -> None:
    out = tmp_path / "govuk"
    (out).mkdir()
    (out / "stale.txt").write_text("old")

    assert main(["--node-modules", str(NODE_MODULES), "--output", str(out)]) == 0

    css = (out / "application.css").read_text()
    assert ".govuk-button" in css
    assert ".app-service-navigation__button" in css
    assert "GDS Transport" not in css
    assert (out / "govuk-frontend.min.js").read_text().startswith("const version=")
    assert (out / "VERSION").read_text().startswith("govuk-frontend 6.")
    assert not (out / "stale.txt").exists()
