// The site's own script (nothing is loaded from another host):
// * hover previews of formula references: pointing at (or focusing) a link to a formula, [eq:id] on a
//   page, shows that formula, its number and its verdict in a small box. The formula is read from the
//   page it is on (this page, or another page of the site fetched once);
// * a log's formula sheet is fetched from its file the first time it is opened;
// * search ranks the exact word first: Material's search matches every query word as a prefix
//   (Adam finds AdamP and Adam alike, and the rarer AdamP scored higher); each plain query word is
//   also asked for exactly, with a boost, before Material's search worker receives the query.
(function () {
  "use strict";
  var QUERY = 2; // Material's SearchMessageType.QUERY
  var post = window.Worker && Worker.prototype.postMessage;
  if (!post) return;
  function exactFirst(query) {
    if (/["+\-~^*:]/.test(query)) return query; // the reader's own query syntax: leave it alone
    return query.split(/\s+/).filter(Boolean).map(function (w) { return w + "^10 " + w; }).join(" ");
  }
  Worker.prototype.postMessage = function (message) {
    if (message && message.type === QUERY && typeof message.data === "string") {
      arguments[0] = { type: QUERY, data: exactFirst(message.data) };
    }
    return post.apply(this, arguments);
  };
})();

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

  document.addEventListener("toggle", function (e) {
    var sheet = e.target;
    if (!sheet.matches || !sheet.matches("details.sl-sheet[data-src]") || !sheet.open || sheet.dataset.loaded) return;
    sheet.dataset.loaded = "loading";
    fetch(sheet.dataset.src, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (text) {
        var doc = new DOMParser().parseFromString(text, "text/html");
        var table = doc.querySelector(".sl-sheet-scroll");
        var stub = sheet.querySelector(".sl-sheet-load");
        if (!table || !stub) throw new Error("no sheet");
        table.querySelectorAll("a[href]").forEach(function (a) {
          var url = new URL(a.getAttribute("href"), sheet.dataset.src && new URL(sheet.dataset.src, location.href));
          if (url.pathname === location.pathname && url.hash) a.setAttribute("href", url.hash);
        });
        stub.replaceWith(document.importNode(table, true));
        sheet.dataset.loaded = "yes";
      })
      .catch(function () { sheet.dataset.loaded = ""; });
  }, true);
})();
