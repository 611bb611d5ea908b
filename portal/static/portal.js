/* 适老化: large-font and high-contrast modes, remembered in a cookie for a year.
   Loaded in <head> so the chosen mode applies before the first paint; the page itself is
   the same for everyone (so caches can share it). No pop-ups, nothing else. */
(function () {
  "use strict";
  var NAME = "gkt_a11y";
  var root = document.documentElement;

  function read() {
    var m = document.cookie.match(/(?:^|;\s*)gkt_a11y=([a-z,]*)/);
    return m ? m[1].split(",").filter(Boolean) : [];
  }
  function write(modes) {
    document.cookie = NAME + "=" + modes.join(",") + "; path=/; max-age=31536000; SameSite=Lax";
  }
  function apply(modes) {
    root.classList.toggle("mode-large", modes.indexOf("large") >= 0);
    root.classList.toggle("mode-contrast", modes.indexOf("contrast") >= 0);
  }
  apply(read());

  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll(".a11y-toggle");
    function sync() {
      var modes = read();
      buttons.forEach(function (b) {
        b.setAttribute("aria-pressed", modes.indexOf(b.dataset.mode) >= 0 ? "true" : "false");
      });
    }
    buttons.forEach(function (b) {
      b.addEventListener("click", function () {
        var modes = read();
        var i = modes.indexOf(b.dataset.mode);
        if (i >= 0) { modes.splice(i, 1); } else { modes.push(b.dataset.mode); }
        write(modes);
        apply(modes);
        sync();
      });
    });
    sync();
  });
})();
