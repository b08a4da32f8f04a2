/* The interactive power map: Cytoscape.js (shipped with Broadfront, no CDN) fed by
   /landscape/map/graph.json. Filters by relationship type and date refetch the graph. */
(function () {
  "use strict";
  var BAND = ["#b23a3a", "#e08a6d", "#c9c9c9", "#7fb6a0", "#2f6f5e"];
  var TYPE_COLOR = {
    opposes: "#b23a3a", funds: "#b8860b", endorses: "#3b6ea5", allied_with: "#2f6f5e",
    member_of: "#8e4585", leads: "#5f8f3e", employs: "#d97745"
  };

  function colour(position) {
    if (position === null || position === undefined) { return BAND[2]; }
    if (position <= -2.5) { return BAND[0]; }
    if (position <= -0.5) { return BAND[1]; }
    if (position < 0.5) { return BAND[2]; }
    if (position < 2.5) { return BAND[3]; }
    return BAND[4];
  }

  function elements(data) {
    var out = [];
    data.nodes.forEach(function (n) {
      out.push({ group: "nodes", data: {
        id: n.id, label: n.label, kind: n.kind, url: n.url, ours: n.ours,
        size: 18 + 8 * Math.sqrt(Math.max(n.influence, 0)), colour: colour(n.position)
      } });
    });
    data.edges.forEach(function (e) {
      out.push({ group: "edges", data: {
        id: e.id, source: e.source, target: e.target, type: e.type, label: e.label,
        colour: TYPE_COLOR[e.type] || "#9aa5b1", width: 1 + e.strength * 0.8
      } });
    });
    return out;
  }

  function query(form) {
    var params = new URLSearchParams();
    form.querySelectorAll("input[name=type]:checked").forEach(function (box) {
      params.append("type", box.value);
    });
    var on = form.querySelector("input[name=on]").value;
    if (on) { params.set("on", on); }
    return params.toString();
  }

  function start() {
    var box = document.getElementById("powermap");
    var form = document.getElementById("map-filters");
    if (!box || !form || typeof window.cytoscape !== "function") { return; }
    var status = document.getElementById("map-status");
    var exportLink = document.getElementById("export");
    var cy = window.cytoscape({
      container: box,
      elements: [],
      wheelSensitivity: 0.3,
      style: [
        { selector: "node", style: {
          "background-color": "data(colour)", "width": "data(size)", "height": "data(size)",
          "label": "data(label)", "font-size": 10, "text-valign": "bottom", "text-margin-y": 3,
          "color": "#1f2a37", "text-wrap": "ellipsis", "text-max-width": 120,
          "border-width": 1, "border-color": "#ffffff"
        } },
        { selector: "node[kind = 'organization']", style: { "shape": "round-rectangle" } },
        { selector: "node[?ours]", style: { "border-width": 4, "border-color": "#1f2a37" } },
        { selector: "edge", style: {
          "width": "data(width)", "line-color": "data(colour)", "target-arrow-color": "data(colour)",
          "target-arrow-shape": "triangle", "curve-style": "bezier", "opacity": 0.8,
          "arrow-scale": 0.8
        } },
        { selector: "edge[type = 'opposes']", style: { "line-style": "dashed" } },
        { selector: "edge:selected, edge.hover", style: { "label": "data(label)", "font-size": 9 } }
      ]
    });
    window.broadfrontPowerMap = cy;  // for the browser test and the console
    cy.on("tap", "node", function (evt) {
      var url = evt.target.data("url");
      if (url) { window.location.href = url; }
    });
    cy.on("mouseover", "edge", function (evt) { evt.target.addClass("hover"); });
    cy.on("mouseout", "edge", function (evt) { evt.target.removeClass("hover"); });

    function load() {
      var q = query(form);
      status.textContent = "Loading…";
      exportLink.href = form.dataset.exportUrl + (q ? "?" + q : "");
      fetch(form.dataset.graphUrl + (q ? "?" + q : ""), { credentials: "same-origin" })
        .then(function (r) { return r.json().then(function (body) { return [r.ok, body]; }); })
        .then(function (res) {
          if (!res[0]) { status.textContent = res[1].message || "Could not load the map."; return; }
          var data = res[1];
          cy.elements().remove();
          cy.add(elements(data));
          cy.layout({ name: "cose", animate: false, randomize: true, nodeRepulsion: 9000,
                      idealEdgeLength: 70, padding: 20 }).run();
          status.textContent = data.nodes.length + " actors, " + data.edges.length + " ties shown.";
          box.dataset.nodes = String(data.nodes.length);
          box.dataset.edges = String(data.edges.length);
        })
        .catch(function () { status.textContent = "Could not load the map."; });
    }
    form.addEventListener("change", load);
    form.addEventListener("reset", function () { window.setTimeout(load, 0); });
    document.getElementById("map-today").addEventListener("click", function (evt) {
      form.querySelector("input[name=on]").value = evt.target.dataset.today;
      load();
    });
    load();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
