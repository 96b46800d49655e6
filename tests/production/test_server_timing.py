"""Every response carries Django's wall and CPU time in a Server-Timing header."""

import re

import pytest

TIMING = re.compile(r'^app;dur=(\d+\.\d);desc="Django", cpu;dur=(\d+\.\d);desc="CPU"$')


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/dang-nhap/", "/khong-co-trang-nay/"])
def test_every_response_says_how_long_django_worked(client, path):
    response = client.get(path)
    match = TIMING.match(response["Server-Timing"])
    assert match, response["Server-Timing"]
    wall, cpu = (float(x) for x in match.groups())
    assert wall > 0 and cpu >= 0
