/* Case pages: focus the error summary, make its links move focus to the field, send a form
   once. The pages work without this file. */
(function () {
  "use strict";

  var summary = document.querySelector(".ds-error-summary[data-autofocus]");
  if (summary) {
    summary.focus();
  }
  document.querySelectorAll(".ds-error-summary a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (target) {
        event.preventDefault();
        target.scrollIntoView({ block: "center" });
        target.focus();
      }
    });
  });
  // A double click sends one answer, one appeal, one withdrawal.
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var buttons = form.querySelectorAll("button[type=submit]");
      window.setTimeout(function () {
        buttons.forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });
})();
