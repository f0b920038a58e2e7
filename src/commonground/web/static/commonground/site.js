/* Every page (base.html): the navigation's menu button on narrow screens; the organisations dropdown
   closing when you click elsewhere or press Escape; and tables and charts that scroll sideways in their
   box (on a phone) made reachable by keyboard. Without this script the navigation is shown whole and
   the dropdown is a plain <details>. No inline script: the CSP allows only 'self'. */
(function () {
  "use strict";

  // A box that scrolls must be focusable, or keyboard users cannot scroll it (WCAG 2.1.1); boxes that
  // fit need no extra tab stop, so this follows the window's width.
  function tableName(box, used) {
    var source = box.querySelector("caption");
    for (var before = box.previousElementSibling; !source && before; before = before.previousElementSibling) {
      if (/^H[1-4]$/.test(before.tagName)) source = before;
    }
    var section = box.closest("section");
    source = source || (section && section.querySelector("h1, h2, h3, h4")) || document.querySelector("main h1");
    var name = (source ? source.textContent.trim() : "Table") + " (table, scrolls sideways)";
    var unique = name;
    for (var n = 2; used[unique]; n += 1) unique = name + " " + n;
    used[unique] = true;
    return unique;
  }

  // A table too wide for its box is laid out wide (site.css, .scrolls-sideways) rather than squeezed;
  // whether it is too wide is judged at its ordinary width, so a wider window gets the desktop look.
  function scrollBoxesFocusable() {
    var used = {};
    var boxes = Array.prototype.slice.call(document.querySelectorAll(".table-scroll, figure.chart"));
    // Where each box was scrolled to: measuring at the ordinary width resets it, and the reader's
    // place in a wide table must survive (a phone's address bar hiding fires a resize).
    var scrolled = boxes.map(function (box) { return box.scrollLeft; });
    boxes.forEach(function (box) { box.classList.remove("scrolls-sideways"); });
    var wide = boxes.map(function (box) { return box.scrollWidth > box.clientWidth + 1; });
    boxes.forEach(function (box, index) {
      if (wide[index]) {
        box.setAttribute("tabindex", "0");
        if (box.classList.contains("table-scroll")) {
          box.classList.add("scrolls-sideways");
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", tableName(box, used));
        }
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
        if (box.getAttribute("role") === "region") {
          box.removeAttribute("role");
          box.removeAttribute("aria-label");
        }
      }
    });
    boxes.forEach(function (box, index) { if (wide[index]) { box.scrollLeft = scrolled[index]; } });
  }

  // Only a change of width can change which tables are too wide; a height-only resize (a phone's
  // address bar, an on-screen keyboard) leaves the boxes alone.
  var lastWidth = window.innerWidth;
  function widthChanged() {
    if (window.innerWidth !== lastWidth) {
      lastWidth = window.innerWidth;
      scrollBoxesFocusable();
    }
  }

  function start() {
    scrollBoxesFocusable();
    window.addEventListener("resize", widthChanged);
    document.body.addEventListener("htmx:load", scrollBoxesFocusable);
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
