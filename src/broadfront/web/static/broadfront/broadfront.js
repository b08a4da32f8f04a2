/* Broadfront: fit Plotly charts to their card once the page (or an HTMX swap) has laid out,
   and keep the current area visible in the scrolling navigation on a phone. */
(function () {
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
