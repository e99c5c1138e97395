// "Print this page": shows the button (hidden without JavaScript, where it could do
// nothing) and opens the browser's print dialog, which prints the handout (site.css).
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.closest(".print-button").hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
