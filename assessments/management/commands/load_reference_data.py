from django.core.management.base import BaseCommand

from assessments.reference_data import load_reference_data


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu tham chiếu: danh sách tỉnh, thành phố; Bộ tiêu chí cấp tỉnh năm 2023; "
        "kết quả năm 2023 của tỉnh Bình Phước. Chạy lại nhiều lần không tạo bản trùng."
    )

    def handle(self, *args, **options):
        report = load_reference_data()
        self.stdout.write(self.style.SUCCESS(f"Đã nạp dữ liệu tham chiếu: {report}."))
