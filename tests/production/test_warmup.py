"""gunicorn's post_worker_init loads what a first request would otherwise pay for."""

import importlib.util
import sys
from pathlib import Path

from django.conf import settings
from django.template import engines

from parindex import warmup


def load_gunicorn_conf():
    path = Path(settings.BASE_DIR) / "parindex" / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("parindex_gunicorn_conf", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class FakeWorker:
    pid = 4242

    def __init__(self):
        self.lines = []
        self.log = self

    def info(self, message, *args):
        self.lines.append(message % args)


def test_each_worker_warms_up_before_its_first_request(monkeypatch):
    frozen = []
    monkeypatch.setattr("gc.freeze", lambda: frozen.append(True))  # not this test process's objects
    worker = FakeWorker()
    load_gunicorn_conf().post_worker_init(worker)
    assert worker.lines and worker.lines[0].startswith("Tiến trình 4242 đã chuẩn bị trong")
    assert "matplotlib.figure" in sys.modules
    assert frozen == [True]  # what it loaded is kept out of the garbage collector's walks


def test_warm_up_compiles_the_page_templates(monkeypatch):
    loaded = []
    engine = engines["django"]
    original = engine.get_template
    monkeypatch.setattr(engine, "get_template", lambda name: loaded.append(name) or original(name))
    warmup.warm_up()
    assert loaded == list(warmup.PAGE_TEMPLATES)


def test_a_failed_warm_up_does_not_stop_the_worker(monkeypatch, caplog):
    def broken():
        raise OSError("ổ đĩa đầy")

    monkeypatch.setattr("reports.charts.warm_up", broken)
    warmup.warm_up()  # returns, and logs why it could not warm up
    assert "Không chuẩn bị trước được" in caplog.text
