"""Pages of 50 (up to 200 with ?page_size=); a page or page size that is not a positive whole
number is refused with a 400, not silently replaced."""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = 200


def _positive(request, name: str, maximum: int | None = None) -> None:
    values = request.query_params.getlist(name)
    if not values:
        return
    text = values[0]
    if len(values) > 1 or not text.isascii() or not text.isdigit() or int(text) < 1:
        raise ValidationError({name: [f"Trường '{name}': phải là một số nguyên dương."]})
    if maximum is not None and int(text) > maximum:
        raise ValidationError({name: [f"Trường '{name}': tối đa {maximum}."]})


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    invalid_page_message = "Trang không tồn tại."

    def paginate_queryset(self, queryset, request, view=None):
        _positive(request, self.page_query_param)
        _positive(request, self.page_size_query_param, MAX_PAGE_SIZE)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Số trang (từ 1).",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Số dòng mỗi trang (mặc định {self.page_size}, tối đa {MAX_PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]
