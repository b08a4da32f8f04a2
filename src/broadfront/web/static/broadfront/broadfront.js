/* Broadfront: draw the Plotly charts (their figures travel as JSON data blocks: the
   Content-Security-Policy allows no inline script), fit them to their card once the page (or
   an HTMX swap) has laid out, keep the current area visible in the scrolling navigation on a
   phone, ask before a form marked data-confirm is sent, keep a form marked data-no-submit
   (an HTMX search box) from being sent, and print with a button marked data-print. */
(function () {
  function within(root, selector) {
    var scope = root || document;
    var found = Array.prototype.slice.call(scope.querySelectorAll(selector));
    if (scope.matches && scope.matches(selector)) { found.unshift(scope); }
    return found;
  }

  function draw(root) {
    if (!window.Plotly) { return; }
    within(root, "div.plotly-graph-div[data-figure]").forEach(function (el) {
      if (el.getAttribute("data-drawn")) { return; }
      var block = document.getElementById(el.getAttribute("data-figure"));
      if (!block) { return; }
      var spec = JSON.parse(block.textContent);
      el.setAttribute("data-drawn", "1");
      window.Plotly.newPlot(el, spec.figure.data || [], spec.figure.layout || {}, spec.config || {});
    });
  }
  draw(document);
  document.addEventListener("htmx:load", function (e) { draw(e.target); });

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form || !form.getAttribute) { return; }
    if (form.hasAttribute("data-no-submit")) { e.preventDefault(); return; }
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { e.preventDefault(); }
  }, true);
  document.addEventListener("click", function (e) {
    var button = e.target && e.target.closest && e.target.closest("[data-print]");
    if (button) { window.print(); }
  });

  function fit(root) {
    if (!window.Plotly) { return; }
    (root || document).querySelectorAll(".js-plotly-plot").forEach(function (el) {
      window.Plotly.Plots.resize(el);
    });
  }
  window.addEventListener("load", function () {
    fit(document);
    var current = document.querySelector(".areas a.current");
    var nav = document.querySelector(".areas");
    if (current && nav && nav.scrollWidth > nav.clientWidth) {
      nav.scrollLeft = current.offsetLeft - (nav.clientWidth - current.offsetWidth) / 2;
    }
  });
  document.addEventListener("htmx:afterSettle", function (e) { fit(e.target); });

  /* A table that turns into cards on a phone (.stack-phone) is no longer laid out as a table,
     and some screen readers then stop reading it as one: state its roles explicitly. */
  var ROLES = { TABLE: "table", THEAD: "rowgroup", TBODY: "rowgroup", TFOOT: "rowgroup", TR: "row", TD: "cell" };
  function tableRoles(root) {
    var tables = root.matches && root.matches("table.stack-phone") ? [root] :
      Array.prototype.slice.call(root.querySelectorAll("table.stack-phone"));
    if (root.closest && root.closest("table.stack-phone") && tables.length === 0) {
      tables = [root.closest("table.stack-phone")];
    }
    tables.forEach(function (table) {
      [table].concat(Array.prototype.slice.call(table.querySelectorAll("thead, tbody, tfoot, tr, th, td")))
        .forEach(function (el) {
          if (el.hasAttribute("role")) { return; }
          var role = ROLES[el.tagName];
          if (el.tagName === "TH") {
            role = el.getAttribute("scope") === "row" || el.parentElement.parentElement.tagName !== "THEAD" ?
              "rowheader" : "columnheader";
          }
          el.setAttribute("role", role);
        });
    });
  }
  tableRoles(document);
  document.addEventListener("htmx:load", function (e) { tableRoles(e.target); });
})();
