// upperback — progressive enhancement only: every page works without this file.
// Served from /static/app.js (the Content-Security-Policy allows no inline script).
(function () {
  "use strict";

  // A Print button on the result page.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // A live character count for the description (the limit is 10,000 characters).
  document.querySelectorAll("textarea[data-count]").forEach(function (area) {
    var out = document.getElementById(area.getAttribute("data-count"));
    if (!out) { return; }
    var max = parseInt(area.getAttribute("maxlength") || "10000", 10);
    var update = function () {
      var left = max - area.value.length;
      out.textContent = left < 1000 ? left + " characters left" : "";
    };
    area.addEventListener("input", update);
    update();
  });

  // "None of these" and the items of a checklist exclude each other.
  document.querySelectorAll("form.question").forEach(function (form) {
    var none = form.querySelector('input[name="none"]');
    var items = form.querySelectorAll('input[name="item"]');
    if (!none || !items.length) { return; }
    none.addEventListener("change", function () {
      if (none.checked) { items.forEach(function (i) { i.checked = false; }); }
    });
    items.forEach(function (i) {
      i.addEventListener("change", function () { if (i.checked) { none.checked = false; } });
    });
  });

  // Move focus to an error message, so screen readers announce it.
  var error = document.querySelector('.error[role="alert"]');
  if (error) { error.setAttribute("tabindex", "-1"); error.focus(); }
})();
