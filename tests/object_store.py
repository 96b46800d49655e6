"""What the object store of the `object_store` fixture (tests/conftest.py) holds."""


def stored_keys(object_store) -> list[str]:
    bucket, client = object_store
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", []))
