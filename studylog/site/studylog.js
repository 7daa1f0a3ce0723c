// Hover previews of formula references: pointing at (or focusing) a link to a formula, [eq:id] on a
// page, shows that formula, its number and its verdict in a small box. The formula is read from the
// page it is on (this page, or another page of the site fetched once); nothing else is loaded.
(function () {
  "use strict";
  var pages = {};
  var box = null;
  var shownFor = null;
  var timer = null;

  function target(link) {
    var url = new URL(link.href, location.href);
    if (!url.hash || url.hash.indexOf("#eq-") !== 0 || url.origin !== location.origin) return null;
    return { url: url, id: decodeURIComponent(url.hash.slice(1)) };
  }

  function formulaFrom(doc, id) {
    var el = doc.getElementById(id);
    return el && el.classList.contains("sl-formula") ? el : null;
  }

  function load(t) {
    var here = location.pathname === t.url.pathname;
    if (here) return Promise.resolve(formulaFrom(document, t.id));
    var key = t.url.pathname;
    if (!pages[key]) {
      pages[key] = fetch(t.url.pathname, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (text) { return new DOMParser().parseFromString(text, "text/html"); });
    }
    return pages[key].then(function (doc) { return formulaFrom(doc, t.id); });
  }

  function hide() {
    clearTimeout(timer);
    if (box) box.remove();
    box = null;
    shownFor = null;
  }

  function show(link) {
    var t = target(link);
    if (!t || shownFor === link) return;
    load(t).then(function (formula) {
      if (!formula || !link.matches(":hover, :focus")) return;
      hide();
      shownFor = link;
      box = document.createElement("div");
      box.className = "sl-preview";
      box.setAttribute("role", "tooltip");
      var copy = formula.cloneNode(true);
      copy.removeAttribute("id");
      copy.querySelectorAll("[id]").forEach(function (e) { e.removeAttribute("id"); });
      if (link.title) {
        var title = document.createElement("div");
        title.className = "sl-preview-title";
        title.textContent = link.title;
        box.appendChild(title);
      }
      box.appendChild(document.importNode(copy, true));
      document.body.appendChild(box);
      var r = link.getBoundingClientRect();
      var width = box.offsetWidth;
      var left = Math.max(8, Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - width - 8));
      box.style.left = left + "px";
      box.style.top = (window.scrollY + r.bottom + 6) + "px";
    });
  }

  function refOf(node) {
    return node && node.closest ? node.closest("a.sl-ref") : null;
  }

  document.addEventListener("mouseover", function (e) {
    var link = refOf(e.target);
    if (link) { clearTimeout(timer); timer = setTimeout(function () { show(link); }, 150); }
  });
  document.addEventListener("mouseout", function (e) {
    var link = refOf(e.target);
    if (link && !link.contains(e.relatedTarget)) hide();
  });
  document.addEventListener("focusin", function (e) { var link = refOf(e.target); if (link) show(link); });
  document.addEventListener("focusout", function (e) { if (refOf(e.target)) hide(); });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
})();
