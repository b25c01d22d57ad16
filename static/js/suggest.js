/* Search suggestions as you type. Progressive enhancement: every input[data-suggest-url]
 * becomes an ARIA 1.2 combobox (list autocomplete, no automatic selection); without
 * JavaScript the plain search form works. Same-origin requests only; no cookies or storage. */
(function () {
  "use strict";

  var doc = document;
  var DELAY = 120;
  var MIN_LENGTH = 2;

  function make(tag, className, text) {
    var node = doc.createElement(tag);
    node.className = className;
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function enhance(input, n) {
    var form = input.form;
    var base = input.getAttribute("data-suggest-url");
    var id = (input.id || "app-suggest-" + n) + "-suggestions";
    var wrap = make("div", "app-suggest");
    var list = make("ul", "app-suggest__list");
    var status = make("div", "app-visually-hidden");
    var label = input.labels && input.labels[0];
    var focused = doc.activeElement === input;
    var cache = Object.create(null);
    var items = [];
    var active = -1;
    var latest = "";
    var timer = null;

    list.id = id;
    list.hidden = true;
    list.setAttribute("role", "listbox");
    if (label) {
      label.id = label.id || id + "-label";
      list.setAttribute("aria-labelledby", label.id);
    }
    status.setAttribute("role", "status");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    wrap.appendChild(list);
    form.appendChild(status);
    if (focused) {
      input.focus();
    }

    function highlight(index) {
      var options = list.children;
      if (options[active]) {
        options[active].setAttribute("aria-selected", "false");
      }
      active = index;
      if (options[index]) {
        options[index].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({block: "nearest"});
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function toggle(open) {
      highlight(-1);
      list.hidden = !open;
      input.setAttribute("aria-expanded", String(open));
    }

    function go(index) {
      var url = items[index].url;
      toggle(false);
      window.location.assign(url);
    }

    function show(suggestions) {
      var count = suggestions.length;
      items = suggestions;
      list.textContent = "";
      suggestions.forEach(function (item, i) {
        var option = make("li", "app-suggest__option");
        option.id = id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.appendChild(make("span", "app-suggest__label", item.label));
        if (item.title && item.title !== item.label) {
          option.appendChild(doc.createTextNode(" "));
          option.appendChild(make("span", "app-suggest__title", item.title));
        }
        option.appendChild(doc.createTextNode(" "));
        option.appendChild(make("span", "app-suggest__kind", item.kind_label));
        option.addEventListener("click", function () {
          go(i);
        });
        list.appendChild(option);
      });
      toggle(count > 0);
      status.textContent = !count ? "" : (count === 1
        ? input.getAttribute("data-suggest-one")
        : input.getAttribute("data-suggest-many").replace("%s", count));
    }

    function request(query) {
      latest = query;
      if (cache[query]) {
        show(cache[query]);
        return;
      }
      fetch(base + "?q=" + encodeURIComponent(query)).then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      }).then(function (data) {
        cache[query] = data.suggestions || [];
        if (query === latest) {  // an answer to an older query is dropped
          show(cache[query]);
        }
      }).catch(function () {});
    }

    input.addEventListener("input", function () {
      var query = input.value.trim();
      clearTimeout(timer);
      if (query.length < MIN_LENGTH) {
        latest = "";
        show([]);
      } else {
        timer = setTimeout(request, DELAY, query);
      }
    });

    input.addEventListener("keydown", function (event) {
      var count = items.length;
      var key = event.key;
      if ((key === "ArrowDown" || key === "ArrowUp") && count) {
        event.preventDefault();
        if (list.hidden) {
          toggle(true);
        }
        highlight(key === "ArrowDown" ? (active + 1) % count : (active - 1 + count) % count);
      } else if (key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        go(active);
      } else if (key === "Escape") {
        event.preventDefault();  // the browser's own clearing of a search field
        if (!list.hidden) {
          toggle(false);
        } else if (input.value) {
          input.value = "";
          latest = "";
          show([]);
        }
      } else if (key === "Tab") {
        toggle(false);
      }
    });

    // Keep the focus in the field while an option is clicked.
    list.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });

    doc.addEventListener("click", function (event) {
      if (!wrap.contains(event.target)) {
        toggle(false);
      }
    });

    form.addEventListener("submit", function () {
      toggle(false);
    });
  }

  doc.querySelectorAll("input[data-suggest-url]").forEach(enhance);
})();
