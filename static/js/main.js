/* Progressive enhancement; no network, cookies or storage (suggest.js asks the site itself). */
(function () {
  "use strict";

  var doc = document;
  var DISMISSED = "app-term--dismissed";
  var hovered = null;
  var shifts = [];

  function each(selector, fn) {
    doc.querySelectorAll(selector).forEach(fn);
  }

  // Quick exit: blank the page and leave it out of the history.
  function exit(link) {
    var href = link.href;
    doc.title = "";
    doc.body.innerHTML = "";
    window.location.replace(href);
  }

  each(".app-js-print", function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });

  // The language switch keeps the place on the page: anchors (slugs) are the same in
  // both languages, but the browser never sends the #fragment to the server.
  each(".app-language__link", function (link) {
    link.addEventListener("click", function () {
      if (window.location.hash && link.href.indexOf("#") === -1) {
        link.href = link.href + window.location.hash;
      }
    });
  });

  each(".app-js-quick-exit", function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      exit(link);
    });
  });

  // Escape hides a glossary tooltip until the term is left.
  each(".app-term", function (term) {
    term.addEventListener("mouseenter", function () {
      hovered = term;
    });
    term.addEventListener("mouseleave", function () {
      hovered = hovered === term ? null : hovered;
      if (!term.contains(doc.activeElement)) {
        term.classList.remove(DISMISSED);
      }
    });
    term.addEventListener("focusout", function (event) {
      if (hovered !== term && !term.contains(event.relatedTarget)) {
        term.classList.remove(DISMISSED);
      }
    });
  });

  doc.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var active = doc.activeElement;
      [active && active.closest(".app-term"), hovered].forEach(function (term) {
        if (term) {
          term.classList.add(DISMISSED);
        }
      });
    } else if (event.key !== "Shift") {
      shifts = [];
    } else if (!event.repeat) {
      // Shift three times within a second also exits.
      var link = doc.querySelector(".app-js-quick-exit");
      var now = Date.now();
      shifts = shifts.filter(function (time) {
        return now - time < 1000;
      }).concat(now);
      if (link && shifts.length >= 3) {
        shifts = [];
        exit(link);
      }
    }
  });
})();
