"""Every API error in Vietnamese: {"detail": "...", "errors": {"field": ["..."]}}.

DRF's own messages are English; they are replaced by code. Messages raised by ParIndex
(services, permissions) are already Vietnamese and kept as they are.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from assessments.services import DomainError

FIELD_MESSAGES = {
    "required": "thiếu giá trị bắt buộc.",
    "null": "không được để trống (null).",
    "blank": "không được để trống.",
    "invalid": "giá trị không hợp lệ.",
    "not_a_list": "phải là một danh sách.",
    "not_a_dict": "phải là một đối tượng JSON.",
    "max_length": "quá dài.",
    "min_length": "quá ngắn.",
    "max_value": "lớn hơn giá trị cho phép.",
    "min_value": "nhỏ hơn giá trị cho phép.",
    "max_digits": "quá nhiều chữ số.",
    "max_decimal_places": "quá 4 chữ số thập phân.",
    "max_whole_digits": "quá nhiều chữ số phần nguyên.",
    "max_string_length": "quá dài.",
    "invalid_choice": "không nằm trong các giá trị được chấp nhận.",
    "does_not_exist": "không tồn tại.",
    "incorrect_type": "sai kiểu dữ liệu.",
    "surrogate_characters_not_allowed": "chứa ký tự không hợp lệ.",
    "null_characters_not_allowed": "chứa ký tự NUL không hợp lệ.",
    "empty": "không được để trống.",
}

STATUS_MESSAGES = {
    "parse_error": "Nội dung gửi lên không phải JSON hợp lệ.",
    "not_authenticated": "Chưa xác thực: gửi tiêu đề 'Authorization: Token <mã truy cập>'.",
    "authentication_failed": "Xác thực không thành công.",
    "permission_denied": "Bạn chỉ có quyền xem dữ liệu này.",
    "not_found": "Không tìm thấy hoặc bạn không có quyền xem.",
    "method_not_allowed": "Phương thức không được hỗ trợ ở địa chỉ này.",
    "not_acceptable": "Không trả được dữ liệu theo định dạng yêu cầu (chỉ có JSON).",
    "unsupported_media_type": "Định dạng nội dung không được hỗ trợ: gửi application/json.",
    "throttled": "Quá nhiều yêu cầu: vui lòng thử lại sau.",
}


def _field_messages(detail, prefix: str = "") -> dict[str, list[str]]:
    """Flatten DRF's nested error details into {"field": ["message", …]} in Vietnamese."""
    found: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = str(key) if key != "non_field_errors" else ""
            for field, messages in _field_messages(
                value, f"{prefix}.{name}" if prefix and name else prefix or name
            ).items():
                found.setdefault(field, []).extend(messages)
    elif isinstance(detail, list):
        for item in detail:
            for field, messages in _field_messages(item, prefix).items():
                found.setdefault(field, []).extend(messages)
    else:
        code = getattr(detail, "code", None)
        text = None if _is_ours(detail) else FIELD_MESSAGES.get(code)
        if text is None:
            text = str(detail) if _is_ours(detail) else "giá trị không hợp lệ."
            text = f"Trường '{prefix}': {text}" if prefix else text
        elif prefix:
            text = f"Trường '{prefix}': {text}"
        else:
            text = text[:1].upper() + text[1:]
        found.setdefault(prefix, []).append(text)
    return found


def _bad_request(detail) -> Response:
    errors = _field_messages(detail)
    summary = " ".join(message for messages in errors.values() for message in messages)
    return Response(
        {"detail": f"Dữ liệu không hợp lệ, chưa lưu gì: {summary}", "errors": errors},
        status=status.HTTP_400_BAD_REQUEST,
    )


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response({"detail": exc.message, "errors": {}}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.ValidationError):
        return _bad_request(exc.detail)
    own_message = None
    if isinstance(exc, DjangoPermissionDenied) and exc.args and str(exc.args[0]):
        own_message = str(exc.args[0])  # ParIndex's permissions speak Vietnamese
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, Http404):
        code = "not_found"
    elif isinstance(exc, DjangoPermissionDenied):
        code = "permission_denied"
    else:
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else ""
    message = own_message or STATUS_MESSAGES.get(code if isinstance(code, str) else "", "Yêu cầu bị từ chối.")
    if isinstance(exc, exceptions.AuthenticationFailed | exceptions.PermissionDenied) and _is_ours(
        exc.detail
    ):
        message = str(exc.detail)
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        message = f"Quá nhiều yêu cầu: thử lại sau {int(exc.wait) + 1} giây."
    response.data = {"detail": message, "errors": {}}
    return response


def _is_ours(detail) -> bool:
    """A message ParIndex wrote (Vietnamese), not one of DRF's English defaults."""
    return any(ord(char) > 127 for char in str(detail))
