"""`make test` on a machine without a browser: the browser tests try the installs the machine
allows, and otherwise fail saying what to run (not with a bare 'not installed' error)."""
import subprocess

import pytest

from tests.e2e import conftest


def test_without_a_browser_the_tests_say_what_to_do(monkeypatch):
    tried = []
    monkeypatch.setattr(conftest, "_found", lambda: None)
    monkeypatch.setattr(conftest.subprocess, "run",
                        lambda command, **kw: tried.append(command) or subprocess.CompletedProcess(command, 1))
    with pytest.raises(pytest.fail.Exception) as failed:
        conftest.find_or_install_chromium()
    assert "apt-get install chromium" in str(failed.value) and "playwright install chromium" in str(failed.value)
    assert any("playwright" in " ".join(command) for command in tried)


def test_a_browser_installed_on_the_way_is_used(monkeypatch):
    found = iter([None, "/opt/chromium"])
    monkeypatch.setattr(conftest, "_found", lambda: next(found))
    monkeypatch.setattr(conftest.subprocess, "run", lambda command, **kw: subprocess.CompletedProcess(command, 0))
    assert conftest.find_or_install_chromium() == "/opt/chromium"
