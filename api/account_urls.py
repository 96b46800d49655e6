from django.urls import path

from . import account_views

urlpatterns = [
    path("", account_views.tokens, name="api_tokens"),
    path("<int:token_pk>/thu-hoi/", account_views.revoke, name="api_token_revoke"),
]
