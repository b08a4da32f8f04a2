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
})();
