/* Handreiking: small progressive enhancement. No network, no storage. */
(function () {
  "use strict";

  var doc = document;

  function each(selector, callback) {
    Array.prototype.forEach.call(doc.querySelectorAll(selector), callback);
  }

  /* Print buttons are hidden until this script can make them work. */
  each(".app-js-print", function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });

  /* Quick exit: clear the page and replace it in the history. */
  function exit(link) {
    var href = link.href;
    doc.title = "";
    doc.body.innerHTML = "";
    window.location.replace(href);
  }

  each(".app-js-quick-exit", function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      exit(link);
    });
  });

  /* Glossary tooltips: Escape hides, leaving the term resets. */
  var hovered = null;
  var DISMISSED = "app-term--dismissed";

  each(".app-term", function (term) {
    term.addEventListener("mouseenter", function () {
      hovered = term;
    });
    term.addEventListener("mouseleave", function () {
      if (hovered === term) {
        hovered = null;
      }
      if (!term.contains(doc.activeElement)) {
        term.classList.remove(DISMISSED);
      }
    });
    term.addEventListener("focusout", function (event) {
      if (!term.contains(event.relatedTarget) && hovered !== term) {
        term.classList.remove(DISMISSED);
      }
    });
  });

  /* Shift pressed three times within a second also exits (GOV.UK pattern). */
  var shifts = [];

  doc.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var active = doc.activeElement;
      var focused = active && active.closest ? active.closest(".app-term") : null;
      [focused, hovered].forEach(function (term) {
        if (term) {
          term.classList.add(DISMISSED);
        }
      });
      return;
    }
    if (event.key !== "Shift") {
      shifts = [];
      return;
    }
    if (event.repeat) {
      return;
    }
    var link = doc.querySelector(".app-js-quick-exit");
    if (!link) {
      return;
    }
    var now = Date.now();
    shifts = shifts.filter(function (time) {
      return now - time < 1000;
    });
    shifts.push(now);
    if (shifts.length >= 3) {
      shifts = [];
      exit(link);
    }
  });
})();
