/* Profile editor (organisations/profile_edit.html): move rows up and down, count characters, show the
   profit–purpose slider's value and the culture points' total, and add a suggested SDG to its goal.
   Everything here also works without it: the up/down buttons then submit the form, which comes back
   re-ordered and unsaved (organisations/profile_views.py). No inline script: the CSP allows only 'self'. */
(function () {
  "use strict";

  function renumber(rows) {
    var singular = rows.getAttribute("data-singular") || "Row";
    var items = rows.querySelectorAll(":scope > [data-row]");
    items.forEach(function (row, index) {
      var order = row.querySelector('input[name$="-ORDER"]');
      if (order) order.value = String(index + 1);
      row.setAttribute("aria-label", singular + " " + (index + 1));
      row.querySelectorAll("button[data-move]").forEach(function (button) {
        var direction = button.getAttribute("data-move");
        button.setAttribute("aria-label", "Move " + singular.toLowerCase() + " " + (index + 1) + " " + direction);
      });
    });
  }

  function move(button) {
    var row = button.closest("[data-row]");
    var rows = row.parentElement;
    if (button.getAttribute("data-move") === "up" && row.previousElementSibling) {
      rows.insertBefore(row, row.previousElementSibling);
    } else if (button.getAttribute("data-move") === "down" && row.nextElementSibling) {
      rows.insertBefore(row.nextElementSibling, row);
    }
    renumber(rows);
    button.focus();
  }

  function addSdg(button) {
    var row = button.closest("[data-row]");
    var box = row && row.querySelector('input[name$="-sdgs"]');
    if (!box) return;
    var number = button.getAttribute("data-add-sdg");
    var numbers = box.value.split(/[,;]/).map(function (part) { return part.trim(); }).filter(Boolean);
    if (numbers.indexOf(number) === -1) numbers.push(number);
    box.value = numbers.join(", ");
    button.disabled = true;
    button.textContent = "Added SDG " + number;
  }

  function count(box) {
    var counter = box.nextElementSibling;
    if (!counter || !counter.classList.contains("char-count")) {
      counter = document.createElement("span");
      counter.className = "char-count";
      box.insertAdjacentElement("afterend", counter);
    }
    var limit = Number(box.getAttribute("maxlength"));
    counter.textContent = box.value.length.toLocaleString() + " / " + limit.toLocaleString() + " characters";
    counter.classList.toggle("near-limit", box.value.length > limit * 0.9);
  }

  function addCounters(root) {
    root.querySelectorAll("textarea[maxlength]").forEach(count);
  }

  function showSlider(form) {
    var slider = form.querySelector('input[type="range"][name="profit_purpose"]');
    var output = form.querySelector("#profit-purpose-value");
    var unstated = form.querySelector('input[name="profit_purpose_unstated"]');
    if (!slider || !output) return;
    var text = "Not stated";
    if (!unstated || !unstated.checked) {
      var profit = Math.round(Number(slider.value) * 100);
      text = profit + "% profit, " + (100 - profit) + "% purpose";
    }
    output.textContent = text;
    slider.setAttribute("aria-valuetext", text);
  }

  function showCultureTotal(form) {
    var output = form.querySelector("#culture-total");
    if (!output) return;
    var total = 0;
    var given = false;
    form.querySelectorAll("input[data-culture]").forEach(function (box) {
      if (box.value.trim() === "") return;
      given = true;
      total += Number(box.value) || 0;
    });
    total = Math.round(total * 10) / 10;
    if (!given) {
      output.textContent = "Not stated";
    } else if (Math.abs(total - 100) <= 1) {
      output.textContent = "Total: " + total + " of 100 points";
    } else if (total < 100) {
      output.textContent = "Total: " + total + " of 100 points (" + Math.round((100 - total) * 10) / 10 + " still to share)";
    } else {
      output.textContent = "Total: " + total + " of 100 points (" + Math.round((total - 100) * 10) / 10 + " too many)";
    }
    output.classList.toggle("off-total", given && Math.abs(total - 100) > 1);
  }

  function start() {
    var form = document.querySelector("form.profile-editor");
    if (!form) return;
    form.addEventListener("click", function (event) {
      var moveButton = event.target.closest("button[data-move]");
      if (moveButton) {
        event.preventDefault();
        move(moveButton);
        return;
      }
      var sdgButton = event.target.closest("button[data-add-sdg]");
      if (sdgButton) {
        event.preventDefault();
        addSdg(sdgButton);
      }
    });
    form.addEventListener("input", function (event) {
      var target = event.target;
      if (target.matches("textarea[maxlength]")) count(target);
      if (target.matches('input[name="profit_purpose"]')) {
        var unstated = form.querySelector('input[name="profit_purpose_unstated"]');
        if (unstated) unstated.checked = false;
        showSlider(form);
      }
      if (target.matches("input[data-culture]")) showCultureTotal(form);
    });
    form.addEventListener("change", function (event) {
      if (event.target.matches('input[name="profit_purpose_unstated"]')) showSlider(form);
    });
    addCounters(form);
    showSlider(form);
    showCultureTotal(form);
    // Rows added by "Add another" (htmx) get their counters too.
    document.body.addEventListener("htmx:load", function (event) { addCounters(event.detail.elt); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
