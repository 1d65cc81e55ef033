/* Tables a reviewer can work with, inside the file and without any library: every table of
   more than ten rows sorts by any column (numbers by value, in the page's language format)
   and filters by text. Without scripts the tables are the same tables, unsorted. */
(function () {
  "use strict";
  var ui = JSON.parse(document.getElementById("report-ui").textContent);
  var lang = document.documentElement.lang || "en";

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  function sortKey(cell) {
    var text = cell.textContent.trim();
    if (text === "" || text === "–" || text === "—") return null;
    var compact = text.replace(/[\s\u00a0\u202f]/g, "").replace(/\u2212/g, "-").replace(/%$/, "");
    compact = lang === "en" ? compact.replace(/,/g, "") : compact.replace(",", ".");
    if (/^[-+]?\d+(\.\d+)?$/.test(compact)) return Number(compact);
    return text.toLocaleLowerCase(lang);
  }

  function compare(a, b) {
    if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
    if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
    return typeof a === "number" ? -1 : 1;
  }

  function enhance(table, index) {
    var body = table.tBodies[0];
    if (!body || body.rows.length <= 10 || !table.tHead) return;
    var rows = Array.prototype.slice.call(body.rows);
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    headers.forEach(function (th, column) {
      var name = th.textContent.trim();
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      button.textContent = name;
      button.setAttribute("aria-label", fill(ui.sort, { column: name }));
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        rows.slice().sort(function (x, y) {
          var order = compare(sortKey(x.cells[column]), sortKey(y.cells[column]));
          return ascending ? order : -order;
        }).forEach(function (row) { body.appendChild(row); });
      });
    });
    var label = document.createElement("label");
    label.className = "table-filter";
    var input = document.createElement("input");
    input.type = "search";
    input.id = "table-filter-" + index;
    var count = document.createElement("span");
    count.className = "rows-shown";
    count.setAttribute("aria-live", "polite");
    label.appendChild(document.createTextNode(ui.filter + " "));
    label.appendChild(input);
    input.addEventListener("input", function () {
      var query = input.value.trim().toLocaleLowerCase(lang);
      var shown = 0;
      rows.forEach(function (row) {
        var match = !query || row.textContent.toLocaleLowerCase(lang).indexOf(query) !== -1;
        row.hidden = !match;
        if (match) shown += 1;
      });
      count.textContent = query ? fill(ui.rows_shown, { shown: shown, total: rows.length }) : "";
    });
    table.parentNode.insertBefore(label, table);
    table.parentNode.insertBefore(count, table);
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.report-table"), enhance);

  /* Values on hover and focus. Each value mark of an SVG figure carries its text as its
     <title> (the browser shows it on hover, without scripts) and as its accessible name; here
     a tooltip shows the same text beside the mark on hover and on keyboard focus. */
  var tip = null;

  function showTip(mark) {
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "value-tip";
      tip.setAttribute("role", "tooltip");
      document.body.appendChild(tip);
    }
    tip.textContent = mark.getAttribute("aria-label");
    var box = mark.getBoundingClientRect();
    tip.style.left = window.scrollX + box.left + box.width / 2 + "px";
    tip.style.top = window.scrollY + box.top - 6 + "px";
    tip.hidden = false;
  }

  function hideTip() {
    if (tip) tip.hidden = true;
  }

  /* Without scripts every mark is a stop of the Tab key; here each figure is one stop, and
     the arrow keys (Home, End) move between its marks, so Tab passes a figure in one step. */
  function enhanceFigure(figure) {
    var marks = Array.prototype.slice.call(figure.querySelectorAll(".value-mark"));
    var caption = figure.parentNode.querySelector("figcaption");
    if (marks.length && caption && ui.marks) {
      var hint = document.createElement("span");
      hint.className = "marks-hint";
      hint.textContent = " " + ui.marks;
      caption.appendChild(hint);
    }
    marks.forEach(function (mark, index) {
      var title = mark.querySelector("title");
      if (title) title.parentNode.removeChild(title); // the tooltip takes the title's place
      mark.setAttribute("tabindex", index === 0 ? "0" : "-1");
      mark.addEventListener("mouseenter", function () { showTip(mark); });
      mark.addEventListener("focus", function () {
        marks.forEach(function (other) { other.setAttribute("tabindex", "-1"); });
        mark.setAttribute("tabindex", "0");
        showTip(mark);
      });
      mark.addEventListener("mouseleave", hideTip);
      mark.addEventListener("blur", hideTip);
      mark.addEventListener("keydown", function (event) {
        var moves = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
        var target = null;
        if (event.key in moves) {
          target = marks[(index + moves[event.key] + marks.length) % marks.length];
        } else if (event.key === "Home") {
          target = marks[0];
        } else if (event.key === "End") {
          target = marks[marks.length - 1];
        }
        if (target) {
          event.preventDefault();
          target.focus();
        }
      });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("svg.report-svg"), enhanceFigure);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hideTip();
  });
})();
