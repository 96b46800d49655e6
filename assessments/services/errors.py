"""Domain errors: raised by services with a Vietnamese message for the user."""


class DomainError(Exception):
    """A write the rules refuse. str(error) is the message to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ConflictError(DomainError):
    """Someone saved the same criterion since the page was opened.

    `conflicts` maps a criterion id to the Score as it now stands.
    """

    def __init__(self, conflicts: dict):
        count = len(conflicts)
        super().__init__(
            f"{count} tiêu chí đã được người khác sửa sau khi bạn mở trang; chưa lưu gì. "
            "Xem giá trị mới bên cạnh từng ô, rồi bấm Lưu lại nếu vẫn muốn ghi giá trị của bạn."
        )
        self.conflicts = conflicts
