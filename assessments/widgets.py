"""Form widgets that write their tag in Python: the entry page shows three or four boxes per
criterion, and a tree of 400 criteria rendered through Django's widget templates
(django/forms/widgets/*.html, one template render per box, ~1 600 a page) cost most of the
page's time (docs/performance.md, "Bigger trees").

Each widget writes exactly what its Django parent's template writes — same tag, same
attributes in the same order, same escaping (tests/entry/test_row_widgets.py compares them);
everything else (value_from_datadict, format_value, build_attrs, the attributes BoundField
adds: id, aria-invalid, aria-describedby) is Django's own.
"""

from __future__ import annotations

import html

from django import forms
from django.forms.widgets import Input
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe


def escape(value) -> str:
    """The text of django.utils.html.conditional_escape (a safe string as it is, anything else
    through html.escape, as django.utils.html.escape does), without the lazy-string wrapper
    that makes Django's several times slower on short strings: a page of 400 rows calls it
    ~15 000 times."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def linebreaksbr(text: str | None) -> str:
    """As the linebreaksbr filter (newlines normalized first), for the rows written in Python."""
    return escape((text or "").replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")


def with_id(url: str, pk: int) -> str:
    """A URL reversed once per page with 0 for a row's id (".../tieu-chi/0/lich-su/"), with
    the row's id put in its place: the last "/0/" segment."""
    head, _, tail = url.rpartition("/0/")
    return f"{head}/{pk}/{tail}"


def attributes(attrs: dict) -> str:
    """The attributes as django/forms/widgets/attrs.html writes them: in order, True as a bare
    name, False left out, anything else as its text, escaped."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class FastCopy:
    """Widget.__deepcopy__ (a copy with its own attrs), without copy.copy's generic protocol: a
    form field copies its widget when it is made, and an entry form makes ~1 600 of them."""

    attrs: dict

    def __deepcopy__(self, memo):
        copied = object.__new__(type(self))
        copied.__dict__.update(self.__dict__)
        copied.attrs = self.attrs.copy()
        memo[id(self)] = copied
        return copied


class _DirectInput(FastCopy, Input):
    """An <input> written as django/forms/widgets/input.html writes it."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        value = self.format_value(value)
        shown = f' value="{escape(value)}"' if value is not None else ""
        return mark_safe(
            f'<input type="{escape(self.input_type)}" name="{escape(name)}"{shown}'
            + attributes(self.build_attrs(self.attrs, attrs))
            + ">"
        )


class TextInput(_DirectInput, forms.TextInput):
    pass


class HiddenInput(_DirectInput, forms.HiddenInput):
    pass


class Textarea(FastCopy, forms.Textarea):
    """A <textarea> written as django/forms/widgets/textarea.html writes it (its newline after
    the opening tag included: the browser drops it)."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        value = self.format_value(value)
        return mark_safe(
            f'<textarea name="{escape(name)}"{attributes(self.build_attrs(self.attrs, attrs))}>\n'
            f"{escape(value) if value else ''}</textarea>"
        )


# --- pieces of a criterion's row that the entry and the appraisal pages share ----------------

NOT_APPLICABLE_BADGE = (
    '<span class="badge na" title="Sở Nội vụ đã đánh dấu tiêu chí không áp dụng: điểm tối đa không tính vào '
    'tổng">Không áp dụng</span>'
)


def guidance_html(guidance: str) -> str:
    """The criterion's scoring guidance, folded under its name ("" when it has none)."""
    if not guidance:
        return ""
    return (
        '<details class="guidance"><summary>Hướng dẫn chấm điểm</summary>'
        f"<div>{linebreaksbr(guidance)}</div></details>"
    )


def errors_html(box_id: str, errors) -> str:
    """As includes/field_errors.html: one paragraph per error, beside the box it names."""
    return "".join(f'<p class="field-error" id="{box_id}-error" role="alert">{escape(e)}</p>' for e in errors)
