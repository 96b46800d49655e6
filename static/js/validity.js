/* ParIndex, every page: the browser's own form messages in Vietnamese ("Please fill out
 * this field" appeared). Sets setCustomValidity from the field's validity state; the
 * server's messages beside the fields remain the ones that count. No inline script (CSP). */
(function () {
  "use strict";

  function message(field) {
    var v = field.validity;
    if (v.valueMissing) {
      if (field.type === "file") return "Chọn một tệp.";
      if (field.tagName === "SELECT" || field.type === "radio" || field.type === "checkbox") return "Chọn một mục.";
      return "Ô này bắt buộc: hãy nhập.";
    }
    if (v.badInput || (v.typeMismatch && field.type === "number")) return "Nhập một số.";
    if (v.typeMismatch && field.type === "email") return "Địa chỉ e-mail chưa đúng (ví dụ ten@coquan.gov.vn).";
    if (v.typeMismatch) return "Giá trị chưa đúng định dạng.";
    if (v.rangeUnderflow) return "Giá trị phải từ " + field.min + " trở lên.";
    if (v.rangeOverflow) return "Giá trị không được lớn hơn " + field.max + ".";
    if (v.stepMismatch) return "Giá trị không hợp lệ (bước " + (field.step || 1) + ").";
    if (v.tooLong) return "Dài quá " + field.maxLength + " ký tự.";
    if (v.tooShort) return "Cần ít nhất " + field.minLength + " ký tự.";
    if (v.patternMismatch) return field.title || "Giá trị chưa đúng định dạng.";
    return "Giá trị chưa hợp lệ.";
  }

  document.addEventListener(
    "invalid",
    function (event) {
      var field = event.target;
      if (!field.setCustomValidity) return;
      field.setCustomValidity("");
      if (!field.validity.valid) field.setCustomValidity(message(field));
    },
    true
  );

  function reset(event) {
    var field = event.target;
    if (field && field.setCustomValidity) field.setCustomValidity("");
  }
  document.addEventListener("input", reset, true);
  document.addEventListener("change", reset, true);
})();
