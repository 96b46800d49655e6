"""Rate limits kept in the cache: per account for signed-in clients, per address otherwise.
Rates come from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (API_RATE_ACCOUNT, API_RATE_ANONYMOUS),
read at each request so that a changed setting applies at once."""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _SettingsRate:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class AccountThrottle(_SettingsRate, UserRateThrottle):
    scope = "account"


class AnonymousThrottle(_SettingsRate, AnonRateThrottle):
    scope = "anonymous"
