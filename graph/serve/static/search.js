// The static site's search page: filters the inline index of names and aliases in the
// browser (a static host has no server to ask). Results are written as text, never markup.
(function () {
  "use strict";
  var index = JSON.parse(document.getElementById("kg-index").textContent);
  var statusLine = document.getElementById("kg-search-status");
  var list = document.getElementById("kg-results");
  var box = document.getElementById("kg-q");
  function find(q) {
    var needle = q.trim().toLowerCase();
    if (!needle) { return []; }
    var hits = [];
    index.forEach(function (e) {
      var names = [e.label].concat(e.aliases || []);
      var matched = names.filter(function (n) { return n.toLowerCase().indexOf(needle) !== -1; });
      if (matched.length) {
        var exact = names.some(function (n) { return n.toLowerCase() === needle; });
        hits.push({entry: e, exact: exact, also: matched.filter(function (n) { return n !== e.label; })});
      }
    });
    hits.sort(function (a, b) {
      return (b.exact - a.exact) || (b.entry.papers - a.entry.papers) ||
        (a.entry.label < b.entry.label ? -1 : 1);
    });
    return hits;
  }
  function show(q) {
    var hits = find(q);
    list.replaceChildren();
    hits.slice(0, 300).forEach(function (hit) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = hit.entry.href;
      a.textContent = hit.entry.label;
      a.className = "kg-entity kg-type-" + hit.entry.type;
      li.appendChild(a);
      var count = document.createElement("span");
      count.className = "kg-count";
      count.textContent = " " + hit.entry.papers;
      li.appendChild(count);
      var kind = document.createElement("span");
      kind.className = "kg-muted";
      kind.textContent = " " + hit.entry.type.toLowerCase() +
        (hit.also.length ? " \u2014 also written " + hit.also.join(", ") : "");
      li.appendChild(kind);
      list.appendChild(li);
    });
    statusLine.textContent = q.trim() ?
      hits.length + (hits.length === 1 ? " entity" : " entities") + " named like \u201c" + q.trim() + "\u201d." :
      "Search the names and aliases of every model, dataset, method and language.";
  }
  var q = new URLSearchParams(window.location.search).get("q") || "";
  if (box) { box.value = q; }
  show(q);
})();
