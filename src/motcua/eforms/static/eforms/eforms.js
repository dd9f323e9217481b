/* E-forms, progressively enhanced (templates/eforms/*.html). Everything here also works
   without JavaScript through round trips to the server; this file only saves the trip.
   - Repeating groups: "Add"/"Remove" change the rows in the page and renumber them.
   - Conditional sections: shown or hidden as the answers they depend on change; a hidden
     section's inputs are disabled, so they are not sent (the server refuses them anyway). */
(function () {
  "use strict";

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // --- repeating groups -----------------------------------------------------------------

  function rowsOf(group) {
    var list = group.querySelector(".eform-row-list");
    return Array.prototype.filter.call(list.children, function (el) {
      return el.hasAttribute("data-eform-row");
    });
  }

  function renameRow(row, group, from, to) {
    var name = group.getAttribute("data-eform-rows");
    var dotted = new RegExp(escapeRegExp(name + "." + from + "."), "g");
    var action = new RegExp(escapeRegExp("remove:" + name + ":" + from) + "$");
    var attributes = ["name", "id", "for", "aria-describedby", "list", "data-eform-prefix"];
    row.querySelectorAll("*").forEach(function (el) {
      attributes.forEach(function (attribute) {
        var value = el.getAttribute(attribute);
        if (value && value.indexOf(name + "." + from + ".") !== -1) {
          el.setAttribute(attribute, value.replace(dotted, name + "." + to + "."));
        }
      });
      if (el.tagName === "BUTTON" && action.test(el.value)) {
        el.value = "remove:" + name + ":" + to;
      }
    });
    row.setAttribute("data-eform-row", String(to));
  }

  function renumber(group) {
    var title = group.getAttribute("data-row-title");
    var rows = rowsOf(group);
    var min = parseInt(group.getAttribute("data-min") || "0", 10);
    var max = group.hasAttribute("data-max") ? parseInt(group.getAttribute("data-max"), 10) : Infinity;
    rows.forEach(function (row, position) {
      var current = row.getAttribute("data-eform-row");
      if (current !== String(position)) {
        renameRow(row, group, current, position);
      }
      var label = title + " " + (position + 1);
      row.querySelector("legend").textContent = label;
      var remove = row.querySelector(".eform-row-remove");
      remove.querySelector(".visually-hidden").textContent = " " + label;
      remove.hidden = rows.length <= min;
    });
    var name = group.getAttribute("data-eform-rows");
    var count = document.getElementsByName(name)[0];
    if (count) {
      count.value = String(rows.length);
    }
    group.querySelector(".eform-row-add").hidden = rows.length >= max;
  }

  function addRow(group) {
    var template = group.querySelector("template[data-eform-row-template]");
    var index = rowsOf(group).length;
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.split("__row__").join(String(index));
    var row = holder.firstElementChild;
    row.setAttribute("data-eform-row", String(index));
    group.querySelector(".eform-row-list").appendChild(row);
    renumber(group);
    conditions(row.closest("form") || document);
    var first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) {
      first.focus();
    }
  }

  function removeRow(group, row) {
    var rows = rowsOf(group);
    var position = rows.indexOf(row);
    row.remove();
    renumber(group);
    var left = rowsOf(group);
    var next = left[Math.min(position, left.length - 1)];
    var target = next ? next.querySelector("legend") : group.querySelector(".eform-row-add button");
    if (target) {
      if (!target.hasAttribute("tabindex")) {
        target.setAttribute("tabindex", "-1");
      }
      target.focus();
    }
  }

  function enhanceRows(root) {
    root.querySelectorAll("[data-eform-rows]").forEach(function (group) {
      rowsOf(group).forEach(function (row, position) {
        row.setAttribute("data-eform-row", String(position));
      });
      group.addEventListener("click", function (event) {
        var button = event.target.closest("button[name=action]");
        if (!button || button.closest("[data-eform-rows]") !== group) {
          return;
        }
        if (button.value.indexOf("add:") === 0) {
          event.preventDefault();
          addRow(group);
        } else if (button.value.indexOf("remove:") === 0) {
          event.preventDefault();
          removeRow(group, button.closest("[data-eform-row]"));
        }
      });
    });
  }

  // --- conditional sections -------------------------------------------------------------

  function currentValue(form, name) {
    var inputs = form.querySelectorAll("[name='" + name.replace(/'/g, "\\'") + "']");
    if (!inputs.length) {
      return { known: false };
    }
    var first = inputs[0];
    if (first.type === "checkbox" && inputs.length === 1) {
      return { known: true, present: true, value: first.checked };
    }
    var values = [];
    inputs.forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) {
        return;
      }
      if (input.disabled || input.value === "") {
        return;
      }
      values.push(input.value);
    });
    return { known: true, present: values.length > 0, value: values[0] };
  }

  // A rule: {"all": [{"field": name, "in": [values] | absent, "present": bool}], "expect": bool}
  function holds(form, test, fallback) {
    var ok = true;
    var known = true;
    test.forEach(function (clause) {
      var found = currentValue(form, clause.field);
      if (!found.known) {
        known = false;
        return;
      }
      if (!found.present) {
        if (clause.required) {
          ok = false;
        }
        return;
      }
      if (clause.values && clause.values.indexOf(found.value) === -1) {
        ok = false;
      }
    });
    return known ? ok : fallback;
  }

  function conditions(root) {
    var form = root.closest ? root.closest("form") || root : root;
    form.querySelectorAll("[data-eform-when]").forEach(function (section) {
      var rules = JSON.parse(section.getAttribute("data-eform-when"));
      var prefix = section.getAttribute("data-eform-prefix") || "";
      var shown = rules.every(function (rule) {
        var test = rule.test.map(function (clause) {
          return { field: prefix + clause.field, values: clause.values, required: clause.required };
        });
        return holds(form, test, rule.expect) === rule.expect;
      });
      section.hidden = !shown;
      var note = section.querySelector(".eform-applies");
      if (note) {
        note.hidden = true;
      }
    });
    form.querySelectorAll("[data-eform-when] input, [data-eform-when] select, [data-eform-when] textarea")
      .forEach(function (input) {
        input.disabled = Boolean(input.closest("[data-eform-when][hidden]"));
      });
  }

  function enhance() {
    document.querySelectorAll(".eform").forEach(function (eform) {
      enhanceRows(eform);
      var form = eform.closest("form");
      if (form) {
        form.addEventListener("change", function () {
          conditions(form);
        });
        conditions(form);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
