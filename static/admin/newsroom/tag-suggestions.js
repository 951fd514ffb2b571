/* Existing tags suggested as the editor types in the tags box.

   The box stays a plain text box of tags separated by commas («،» or ","),
   so without this script nothing changes. With it, the tag being typed (the
   text after the last comma) is looked up through the admin's own
   autocomplete view, which searches tags in their matching form: «بيمه»
   finds «بیمه‌شدگان». The list is a listbox the keyboard can walk:
   arrows move, Enter or Tab takes the tag, Escape closes. */
(function () {
  "use strict";

  var SEPARATORS = /[,،]/;
  var MAX_SHOWN = 8;
  var gettext = window.gettext || function (text) { return text; };

  function typedTags(value) {
    return value.split(SEPARATORS).map(function (tag) { return tag.trim(); });
  }

  function setUp(input) {
    var url = input.getAttribute("data-tag-suggestions");
    var listId = input.id + "-suggestions";
    var list = document.createElement("ul");
    var status = document.createElement("p");
    var timer = null;
    var request = 0;
    var active = -1;

    list.id = listId;
    list.className = "tag-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", gettext("Existing tags"));
    list.hidden = true;
    status.className = "visually-hidden tag-suggestions__status";
    status.setAttribute("role", "status");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-expanded", "false");
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);

    function options() {
      return list.querySelectorAll("[role=option]");
    }

    function close() {
      list.hidden = true;
      list.replaceChildren();
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var shown = options();
      if (!shown.length) {
        return;
      }
      active = (index + shown.length) % shown.length;
      shown.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", shown[active].id);
    }

    function choose(name) {
      var parts = input.value.split(SEPARATORS);
      parts[parts.length - 1] = " " + name;
      input.value = parts.join("،").replace(/^\s+/, "") + "، ";
      close();
      input.focus();
    }

    function show(names) {
      list.replaceChildren();
      names.forEach(function (name, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = name;
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(name);
        });
        list.appendChild(option);
      });
      active = -1;
      list.hidden = names.length === 0;
      input.setAttribute("aria-expanded", names.length ? "true" : "false");
      status.textContent = names.length
        ? interpolateCount(names.length)
        : "";
    }

    function interpolateCount(count) {
      var text = window.ngettext
        ? window.ngettext("%(count)s tag found", "%(count)s tags found", count)
        : "%(count)s";
      var shown = String(count).replace(/[0-9]/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹"[d]; });
      return text.replace("%(count)s", shown);
    }

    function lookUp() {
      var tags = typedTags(input.value);
      var term = tags[tags.length - 1];
      if (!term) {
        close();
        return;
      }
      var taken = tags.slice(0, -1);
      var mine = ++request;
      var query = new URLSearchParams({
        term: term,
        app_label: "newsroom",
        model_name: "article",
        field_name: "tags"
      });
      fetch(url + "?" + query.toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          if (mine !== request) {
            return;
          }
          var names = (data.results || [])
            .map(function (result) { return result.text; })
            .filter(function (name) { return taken.indexOf(name) === -1; })
            .slice(0, MAX_SHOWN);
          show(names);
        })
        .catch(close);
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookUp, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) {
        return;
      }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight(active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active - 1);
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        choose(options()[active].textContent);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });
  }

  function start() {
    document.querySelectorAll("input[data-tag-suggestions]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
