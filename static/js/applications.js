/* Applications: move focus to the error summary, show upload progress, submit once.
   Everything works without this file: uploads are plain form posts. */
(function () {
  "use strict";

  // Focus the error summary so screen readers and keyboard users start there.
  var summary = document.querySelector("[data-autofocus]");
  var scrollTo = null;
  try {
    scrollTo = window.sessionStorage.getItem("applications-scroll-to");
    window.sessionStorage.removeItem("applications-scroll-to");
  } catch (e) { scrollTo = null; }
  if (summary) {
    summary.focus();
  } else if (scrollTo && document.getElementById(scrollTo)) {
    document.getElementById(scrollTo).scrollIntoView({ block: "start" });
  }
  // Links in the error summary: move focus to the field, not only scroll.
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

  // Upload with a progress bar: send the same form with XMLHttpRequest, then follow the
  // redirect the server answers with (the step page with the new file or the error).
  var form = document.querySelector("[data-upload-form]");
  if (form && window.FormData && window.XMLHttpRequest) {
    var plainSubmit = false;
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (plainSubmit) {
        return;
      }
      if (!button || !button.value || button.value.indexOf("upload:") !== 0) {
        return;
      }
      var kind = button.value.slice(7);
      var input = document.getElementById("file-" + kind);
      if (!input || !input.files || !input.files.length) {
        return; // let the server say "choose a file"
      }
      event.preventDefault();
      var section = document.getElementById("attachments-" + kind);
      var progress = section ? section.querySelector(".upload-progress") : null;
      var data = new FormData(form);
      data.append(button.name, button.value);
      var xhr = new XMLHttpRequest();
      // Not form.action: the buttons are named "action" and shadow that property.
      xhr.open("POST", form.getAttribute("action") || window.location.href);
      if (progress) {
        progress.hidden = false;
        progress.value = 0;
        xhr.upload.addEventListener("progress", function (e) {
          if (e.lengthComputable) {
            progress.value = Math.round((e.loaded / e.total) * 100);
          }
        });
      }
      // Anything unexpected: send the form the plain way (works without the script).
      function fallback() {
        button.disabled = false;
        plainSubmit = true;
        form.requestSubmit(button);
      }
      button.disabled = true;
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.addEventListener("load", function () {
        var next = null;
        try { next = JSON.parse(xhr.responseText).location; } catch (e) { next = null; }
        if (next) {
          // Navigate without the fragment: a URL differing only by its fragment would not
          // load the page (and reloading a POST result would post again). Scroll afterwards.
          var target = new URL(next, window.location.href);
          try { window.sessionStorage.setItem("applications-scroll-to", target.hash.slice(1)); } catch (e) { /* private mode */ }
          window.location.assign(target.pathname + target.search);
        } else {
          fallback();
        }
      });
      xhr.addEventListener("error", fallback);
      xhr.send(data);
    });
  }

  // A double click on "Submit" sends one request (the server is idempotent anyway).
  document.querySelectorAll("[data-submit-once]").forEach(function (button) {
    button.form.addEventListener("submit", function () {
      window.setTimeout(function () { button.disabled = true; }, 0);
    });
  });
})();
