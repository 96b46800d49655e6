"""The appraisal tests reuse the workflow fixtures (the small world, named users)."""

from tests.entry.conftest import (  # noqa: F401
    _private_media,
    agencies,
    make_user,
    small,
)
