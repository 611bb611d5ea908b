/* Approval: one-click opinions fill the opinion box (still editable); the 发文稿纸 page's
   print button.  No inline scripts (the Content-Security-Policy forbids them). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var chip = event.target.closest ? event.target.closest("[data-phrase]") : null;
    if (chip) {
      var box = document.getElementById(chip.getAttribute("data-target"));
      if (box) {
        box.value = chip.getAttribute("data-phrase");
        box.focus();
        box.setSelectionRange(box.value.length, box.value.length);
      }
      event.preventDefault();
      return;
    }
    if (event.target.closest && event.target.closest("[data-print]")) {
      window.print();
    }
  });
}());
