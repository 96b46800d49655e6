"""The entry tests' open 2024 assessment (the 2023 tree and its rules copied) and named users."""

from tests.entry.conftest import (  # noqa: F401 - fixtures shared with the entry tests
    _private_media,
    agencies,
    make_user,
    open_assessment,
    users,
)
