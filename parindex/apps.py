"""App configurations that only rename third-party apps for the admin (wiring, no logic)."""

from axes.apps import AppConfig as BaseAxesConfig


class AxesConfig(BaseAxesConfig):
    """django-axes (login throttling), titled in Vietnamese in the admin's index."""

    verbose_name = "Chống dò mật khẩu (khóa đăng nhập)"
