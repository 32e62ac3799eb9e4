"""A lazy module imports on first use, once, even when threads race for it."""
import sys
import threading
import types

import pytest

from chalicelib.lazy import lazy

SLOW_MODULE = """
import time
RUNS = globals().get("RUNS", 0) + 1
time.sleep(0.2)          # long enough for every thread to arrive while it is still importing
ANSWER = 42              # bound last: a half-run module has no ANSWER yet
"""


@pytest.fixture
def probe_module(tmp_path, monkeypatch):
    """The name of a module on sys.path that nothing has imported yet."""
    name = "portico_lazy_probe"
    (tmp_path / f"{name}.py").write_text(SLOW_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop(name, None)
    yield name
    sys.modules.pop(name, None)


def test_nothing_is_imported_until_an_attribute_is_read(probe_module):
    probe = lazy(probe_module)
    assert probe_module not in sys.modules

    assert probe.ANSWER == 42
    assert sys.modules[probe_module].ANSWER == 42


def test_threads_racing_the_first_use_all_wait_for_one_complete_import(probe_module):
    probe, seen = lazy(probe_module), []

    threads = [threading.Thread(target=lambda: seen.append(probe.ANSWER)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert seen == [42] * 8
    assert probe.RUNS == 1


def test_patching_the_real_module_or_swapping_it_in_sys_modules_reaches_callers(monkeypatch):
    real = types.ModuleType("portico_patched_probe")
    real.greet = lambda: "hello"
    monkeypatch.setitem(sys.modules, "portico_patched_probe", real)
    probe = lazy("portico_patched_probe")

    monkeypatch.setattr(real, "greet", lambda: "patched")
    assert probe.greet() == "patched"

    stand_in = types.ModuleType("portico_patched_probe")
    stand_in.greet = lambda: "stand-in"
    monkeypatch.setitem(sys.modules, "portico_patched_probe", stand_in)
    assert probe.greet() == "stand-in"


def test_a_patch_through_the_proxy_reaches_its_callers_and_its_undo_leaves_the_real_module_whole():
    real = types.ModuleType("portico_undone_probe")
    real.greet = lambda: "hello"
    sys.modules["portico_undone_probe"] = real
    try:
        probe = lazy("portico_undone_probe")
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(probe, "greet", lambda: "patched")
            assert probe.greet() == "patched"
        assert (probe.greet(), real.greet()) == ("hello", "hello")
    finally:
        del sys.modules["portico_undone_probe"]
