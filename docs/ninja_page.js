/* What every page of the site does beyond Doxygen's: a copy button on every code block
   (doxygen-awesome's), the chapters' menu where the sidebar is folded away (below 1000 px,
   ninja.css), and the formulas of a fold typeset again when it opens: MathJax lays out what it
   can see, and a closed fold has no width. */
(function () {
  "use strict";

  function start() {
    var menu = document.getElementById("ninja-menu");
    if (menu) {
      var toggle = function (open) {
        document.documentElement.classList.toggle("ninja-nav-open", open);
        menu.setAttribute("aria-expanded", open ? "true" : "false");
      };
      menu.addEventListener("click", function (event) {
        toggle(!document.documentElement.classList.contains("ninja-nav-open"));
        event.stopPropagation();
      });
      // The open menu closes on a click beside it, or on Escape.
      document.addEventListener("click", function (event) {
        var side = document.getElementById("side-nav");
        if (side && !side.contains(event.target)) toggle(false);
      });
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape") toggle(false);
      });
    }
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (fold) {
      fold.addEventListener("toggle", function () {
        if (fold.open && window.MathJax && MathJax.Hub) MathJax.Hub.Queue(["Rerender", MathJax.Hub, fold]);
      });
    });
  }

  // (a class declared at the top of a script is no property of window)
  if (typeof DoxygenAwesomeFragmentCopyButton !== "undefined") DoxygenAwesomeFragmentCopyButton.init();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
