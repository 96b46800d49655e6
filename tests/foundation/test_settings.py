import os
import subprocess
import sys

PRINT_DB = (
    "from django.conf import settings; d = settings.DATABASES['default']; print(d['ENGINE'], d['NAME'])"
)


def run_settings(env_extra):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(env_extra, DJANGO_SETTINGS_MODULE="parindex.settings")
    code = f"import django; django.setup(); {PRINT_DB}"
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout


def test_sqlite_by_default():
    assert run_settings({}).startswith("django.db.backends.sqlite3 ")
    assert run_settings({}).strip().endswith("db.sqlite3")


def test_database_url_names_postgresql():
    out = run_settings({"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/parindex"})
    assert out.split() == ["django.db.backends.postgresql", "parindex"]


def test_database_url_names_another_sqlite_file(tmp_path):
    out = run_settings({"DATABASE_URL": f"sqlite:///{tmp_path}/other.sqlite3"})
    assert out.split() == ["django.db.backends.sqlite3", f"{tmp_path}/other.sqlite3"]


def test_language_and_time_zone():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"


def test_the_site_icon_is_served_to_anyone(client):
    """Browsers ask for /favicon.ico where no <link rel="icon"> names one (the admin): it
    redirects to the icon every page names, so no page logs a 404."""
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")
    page = client.get("/dang-nhap/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page
