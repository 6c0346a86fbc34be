"""Every setting is read in one place, and the README's configuration table lists exactly those."""

from __future__ import annotations

import re
from dataclasses import fields

import pytest

from factcheck.settings import PROJECT_ROOT, SETTINGS, Settings

README = PROJECT_ROOT / "README.md"
# reading a variable; `factcheck serve` may still set one for its gunicorn workers
READ = re.compile(r"(environ\.get|getenv)\(\s*[\"']FACTCHECK_|environ\[[\"']FACTCHECK_\w+[\"']\](?!\s*=)")


def test_the_readme_configuration_table_lists_exactly_the_settings():
    text = README.read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `(FACTCHECK_[A-Z0-9_]+)`", section, flags=re.MULTILINE))
    assert listed == {s.env for s in SETTINGS}


def test_settings_and_their_table_agree_and_the_defaults_are_the_dataclass_defaults():
    assert [s.field for s in SETTINGS] == [f.name for f in fields(Settings)]
    assert Settings.from_env({}) == Settings()


def test_a_setting_is_read_from_the_environment_and_a_bad_value_names_its_variable():
    environ = {"FACTCHECK_THREADS": "3", "FACTCHECK_JOB_RUNNER": "0", "FACTCHECK_SCREEN_MODEL": "models/nli-screen"}
    settings = Settings.from_env(environ)
    assert settings.threads == 3 and settings.job_runner is False and settings.screen_model == "models/nli-screen"
    with pytest.raises(ValueError, match="FACTCHECK_THREADS"):
        Settings.from_env({"FACTCHECK_THREADS": "many"})


def test_no_module_outside_the_settings_module_reads_a_factcheck_variable():
    readers = []
    for package in ("factcheck", "service"):
        for path in (PROJECT_ROOT / package).rglob("*.py"):
            if path.name != "settings.py" and READ.search(path.read_text()):
                readers.append(str(path.relative_to(PROJECT_ROOT)))
    assert readers == []
