/* Every page (base.html): the navigation's menu button on narrow screens, and the organisations
   dropdown closing when you click elsewhere or press Escape. Without this script the navigation is
   shown whole and the dropdown is a plain <details>. No inline script: the CSP allows only 'self'. */
(function () {
  "use strict";

  function start() {
    var header = document.querySelector(".site-header");
    var button = header && header.querySelector(".menu-button");
    var menu = header && header.querySelector(".site-menu");
    if (button && menu) {
      header.classList.add("has-menu-button");
      button.addEventListener("click", function () {
        var open = button.getAttribute("aria-expanded") !== "true";
        button.setAttribute("aria-expanded", String(open));
        menu.classList.toggle("open", open);
      });
    }
    var dropdowns = document.querySelectorAll("details.nav-dropdown");
    document.addEventListener("click", function (event) {
      dropdowns.forEach(function (details) {
        if (details.open && !details.contains(event.target)) details.open = false;
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      dropdowns.forEach(function (details) {
        if (details.open) {
          details.open = false;
          details.querySelector("summary").focus();
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
