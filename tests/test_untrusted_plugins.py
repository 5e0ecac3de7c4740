"""Plugins as untrusted code: an import or a hook that hangs, code that raises SystemExit and the like, and text
templates that ask for unbounded memory or time. Each is stopped or left out, named, without a traceback."""

import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import install_plugin, run_bounded

from drafter.compose import Writer, render_text
from drafter.limits import PLUGIN_SECONDS, TEMPLATE_LOOPS, TEMPLATE_OUTPUT
from drafter.plugins import PluginError

SECONDS = 2  # the plugin time limit in these tests (DRAFTER_PLUGIN_SECONDS), instead of PLUGIN_SECONDS
DISABLE = "可用 --disable-plugin {} 停用"


def run_plugin(site, *args, seconds=40, memory_mb=1500):
    """drafter with the plugins of ``site`` and a short plugin time limit, bounded in memory and time."""
    return run_bounded(*args, env={"PYTHONPATH": str(site), "DRAFTER_PLUGIN_SECONDS": str(SECONDS)},
                       memory_mb=memory_mb, seconds=seconds)


def limit_shown(limit, value=None):
    from dataclasses import replace

    return (replace(limit, value=value) if value is not None else limit).shown


# Hanging code: at import, in a hook, and a hook that swallows the interrupt.

HANGS = {
    "import": ("import time\ntime.sleep(600)\n", "插件 sleepy（sleepy_plugin）的导入"),
    "hook": ("import time\nfrom drafter import hookimpl\n@hookimpl\ndef register_activities():\n"
             "    time.sleep(600)\n", "插件 sleepy 的钩子 register_activities"),
    "stubborn": ("import time\nfrom drafter import hookimpl\n@hookimpl\ndef register_sections():\n"
                 "    while True:\n        try:\n            time.sleep(600)\n        except BaseException:\n"
                 "            pass\n", "插件 sleepy 的钩子 register_sections"),
}


@pytest.mark.parametrize("command", [("new", "--defaults"), ("plugins",), ("doctor",)])
@pytest.mark.parametrize("where", sorted(HANGS))
def test_a_plugin_that_hangs_is_stopped_and_named(where, command, tmp_path):
    source, named = HANGS[where]
    site = install_plugin(tmp_path / "site", "sleepy", source)
    out = tmp_path / "out" / "x.docx"
    out.parent.mkdir()
    args = [*command, "-o", out] if command[0] == "new" else command
    done, took = run_plugin(site, *args)
    assert done.returncode == 1, done.stderr
    assert f"{named}：{PLUGIN_SECONDS.what}超出 drafter 的上限 {limit_shown(PLUGIN_SECONDS, SECONDS)}" in done.stderr
    assert DISABLE.format("sleepy") in done.stderr and "DRAFTER_DISABLE_PLUGINS=sleepy" in done.stderr
    assert "Traceback" not in done.stderr and took < SECONDS + 15
    assert list(out.parent.iterdir()) == []
    # disabled, it is not run at all
    done, took = run_plugin(site, *args, "--disable-plugin", "sleepy")
    assert done.returncode == 0, done.stderr


def test_ctrl_c_in_a_plugin_names_the_plugin(tmp_path):
    started = tmp_path / "started"
    source = (f"import time\nfrom pathlib import Path\nfrom drafter import hookimpl\n@hookimpl\n"
              f"def register_activities():\n    Path({str(started)!r}).touch()\n    time.sleep(600)\n")
    site = install_plugin(tmp_path / "site", "sleepy", source)
    out = tmp_path / "x.docx"
    proc = subprocess.Popen([sys.executable, "-m", "drafter", "new", "--defaults", "-o", str(out)],
                            env={**os.environ, "PYTHONPATH": str(site)}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert started.exists(), "the plugin's hook never ran"
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert "插件 sleepy 的钩子 register_activities" in err and "Ctrl-C" in err and DISABLE.format("sleepy") in err
    assert "Traceback" not in err and not out.exists()


# Code that raises what is not an Exception: a failure of the plugin like any other.

RAISES = {"SystemExit(0)": "SystemExit: 0", "KeyboardInterrupt()": "KeyboardInterrupt",
          "GeneratorExit('x')": "GeneratorExit: x", "BaseException('y')": "BaseException: y"}


@pytest.mark.parametrize("where", ["import", "hook"])
@pytest.mark.parametrize("raised", sorted(RAISES))
def test_systemexit_and_other_base_exceptions_are_the_plugins_failure(raised, where, tmp_path):
    source = (f"raise {raised}\n" if where == "import" else
              f"from drafter import hookimpl\n@hookimpl\ndef register_activities():\n    raise {raised}\n")
    site = install_plugin(tmp_path / "site", "quitter", source)
    out = tmp_path / "x.docx"
    done, _ = run_plugin(site, "new", "--defaults", "-o", out)
    assert done.returncode == 0, done.stderr  # the 商务 notice does not need it: drafted, with a warning
    failure = ("插件 quitter（quitter_plugin）加载失败：导入时出错：" if where == "import" else
               "插件 quitter 的钩子 register_activities 出错：") + RAISES[raised]
    assert f"提示：{failure}" in done.stderr and DISABLE.format("quitter") in done.stderr, done.stderr
    assert out.exists() and "Traceback" not in done.stderr
    listing, _ = run_plugin(site, "plugins")
    assert listing.returncode == 1 and failure in listing.stdout and "shangwu" in listing.stdout


# Text templates: bounded output, loops and recursion; no include, import or extends.

def activity_plugin(text: str) -> str:
    return ("from drafter import hookimpl\nfrom drafter.catalogue import Activity\n@hookimpl\n"
            f"def register_activities():\n    return [Activity(id='t1', title='标题', sectors=('*',),"
            f" paragraphs=({text!r},))]\n")


OUTPUT = f"{TEMPLATE_OUTPUT.what}超出 drafter 的上限 {TEMPLATE_OUTPUT.shown}"
LOOPS = f"{TEMPLATE_LOOPS.what}超出 drafter 的上限 {TEMPLATE_LOOPS.shown}"
TEMPLATES = {  # what the brief found, through the command as users run it
    "multiplied": ("{{ 'x' * 10**9 }}", OUTPUT),
    "joined": ("{% set s = 'x' * 150000 %}{{ s ~ s }}", OUTPUT),
    "doubled": ("{% set ns = namespace(s='xx') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}"
                "{% endfor %}{{ ns.s|length }}", OUTPUT),
    "nested loops": ("{% for i in range(9000) %}{% for j in range(9000) %}{{ '' }}{% endfor %}{% endfor %}", LOOPS),
    "include": ("{% include 'x.html' %}", "第1行不能用 {% include %}"),
    "import": ("{% import 'x.html' as x %}", "第1行不能用 {% import %}"),
    "from import": ("{% from 'x.html' import y %}", "第1行不能用 {% from … import %}"),
    "extends": ("text\n{% extends 'x.html' %}", "第2行不能用 {% extends %}"),
    "format_map": ("{{ '{x}'.format_map() }}", "TypeError"),
    "recursive macro": ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "递归过深"),
    "branching macro": ("{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(60) }}",
                        LOOPS),
    "huge power": ("{{ 10**(10**10) }}", OUTPUT),
    "division by zero": ("{{ 1/0 }}", "ZeroDivisionError"),
}


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_plugin_text_is_bounded_and_its_failures_named(name, tmp_path):
    text, expected = TEMPLATES[name]
    site = install_plugin(tmp_path / "site", "tpl", activity_plugin(text))
    out = tmp_path / "out" / "x.docx"
    out.parent.mkdir()
    done, took = run_plugin(site, "new", "--defaults", "-o", out, memory_mb=1000)
    assert done.returncode == 1, done.stderr
    assert "插件 tpl 的活动“t1”文字" in done.stderr and expected in done.stderr, done.stderr
    assert DISABLE.format("tpl") in done.stderr and "Traceback" not in done.stderr
    assert took < 20 and list(out.parent.iterdir()) == []


# The same bounds on every other way a template can make a large value, in this process.

GROWING = {
    "center": "{{ 'x'|center(10**8) }}",
    "ljust method": "{{ 'x'.ljust(10**8) }}",
    "printf width": "{{ '%100000000d' % 1 }}",
    "printf star": "{{ '%*d' % (10**8, 1) }}",
    "format filter": "{{ '%100000000s'|format('x') }}",
    "format width": "{{ '{:>100000000}'.format(1) }}",
    "format repeats": "{% set s = 'x' * 100000 %}{{ ('{0}' * 1000).format(s) }}",
    "replace": "{% set s = 'x' * 100000 %}{{ s.replace('x', s) }}",
    "replace filter": "{% set s = 'x' * 100000 %}{{ s|replace('x', s) }}",
    "join": "{% set s = 'x' * 100000 %}{{ s.join(range(5000)|map('string')) }}",
    "join filter": "{% set s = 'x' * 100000 %}{{ range(5000)|join(s) }}",
    "expandtabs": "{{ ('\t' * 1000).expandtabs(100000) }}",
    "indent": "{% set s = 'x\n' * 50000 %}{{ s|indent(s) }}",
    "batch": "{{ [1]|batch(10**8, 'x')|list|length }}",
    "slice": "{{ [1]|slice(10**8)|list|length }}",
    "list times": "{{ (['x' * 1000] * 100000)|string }}",
    "nested lists": "{% set a = ['x' * 100000] %}{% set b = [a, a] %}{% set c = [b, b] %}{{ c|string }}",
    "wordwrap": "{% set s = 'x ' * 100000 %}{{ s|wordwrap(1, wrapstring=s) }}",
    "lipsum": "{{ lipsum(10**6) }}",  # not offered
    "block set": ("{% set ns = namespace(s='xx') %}{% for i in range(60) %}{% set ns.s %}{{ ns.s }}{{ ns.s }}"
                  "{% endset %}{% endfor %}{{ ns.s|length }}"),
    "huge range": "{{ range(10**9)|list|length }}",
    "recursive loop": "{% for x in [1, 2] recursive %}{{ loop([1, 2]) }}{% endfor %}",
}


@pytest.mark.parametrize("name", sorted(GROWING))
def test_every_way_to_grow_a_value_is_bounded(name):
    write = Writer({})
    started = time.monotonic()
    with pytest.raises(PluginError) as raised:
        write(GROWING[name], "tpl", "活动“t1”")
    message = str(raised.value)
    assert message.startswith("插件 tpl 的活动“t1”文字") and DISABLE.format("tpl") in message
    assert ("'lipsum' is undefined" if name == "lipsum" else "上限") in message or "递归过深" in message, message
    assert time.monotonic() - started < 10


def test_ordinary_templates_still_render():
    facts = {"year": 2025, "items": ["甲", "乙", "丙"], "extra": {"venue": "广场"}}
    text = ("{% macro item(x) %}{{ x }}、{% endmacro %}{% for x in items %}{{ item(x) }}{% endfor %}"
            "{{ '%d年' % year }}{{ '{}'.format(extra.venue) }}{{ items|join('，') }}{{ 'a' ~ 'b' }}"
            "{% for i in range(3) %}{{ loop.index }}{% endfor %}{{ items|map('string')|join }}")
    assert render_text(text, facts) == "甲、乙、丙、2025年广场甲，乙，丙ab123甲乙丙"
    # as much as the limits allow, and no more
    assert len(render_text(f"{{{{ 'x' * {TEMPLATE_OUTPUT.amount} }}}}", {})) == TEMPLATE_OUTPUT.amount
    with pytest.raises(PluginError):
        Writer({})(f"{{{{ 'x' * {TEMPLATE_OUTPUT.amount + 1} }}}}", "tpl", "活动“t1”")
    many = f"{{% for i in range({TEMPLATE_LOOPS.amount}) %}}{{% endfor %}}done"
    assert render_text(many, {}) == "done"
    with pytest.raises(PluginError):
        Writer({})(many.replace(f"range({TEMPLATE_LOOPS.amount})", f"range({TEMPLATE_LOOPS.amount + 1})"),
                   "tpl", "活动“t1”")


def test_a_worker_threads_limit_firing_as_the_code_returns_never_escapes():
    """In a worker thread the limit interrupts with an exception raised in the thread; one that fires just as the
    plugin code returns is withdrawn or turned into PluginTimeout, never raised elsewhere, and the thread's record
    of running plugin code is left empty."""
    import random
    import threading

    from drafter import plugins
    from drafter.plugins import PluginTimeout, _WorkerLimit

    escaped, outcomes = [], {"returned": 0, "timed out": 0}

    def work():
        for _ in range(300):
            limit = _WorkerLimit("插件 x 的钩子 y", "x")
            limit.timer = threading.Timer(random.uniform(0, 0.02), limit.fire)  # around the time the code takes
            limit.timer.daemon = True
            def busy():
                end = time.perf_counter() + random.uniform(0, 0.02)
                while time.perf_counter() < end:
                    pass

            try:
                limit.run(busy)
                outcomes["returned"] += 1
            except PluginTimeout:
                outcomes["timed out"] += 1
            except BaseException as exc:  # noqa: BLE001 - what must not happen
                escaped.append(repr(exc))
        escaped.extend(plugins._running.what)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(60)
    assert not thread.is_alive() and escaped == []
    assert outcomes["returned"] and outcomes["timed out"], outcomes
