// The query page of kg serve: runs the text box against ./sparql and shows the result.
// Every value reaches the page as text (textContent), never as markup.
(function () {
  "use strict";
  var examples = JSON.parse(document.getElementById("kg-examples").textContent);
  var prefixes = JSON.parse(document.getElementById("kg-prefix-data").textContent);
  var select = document.getElementById("kg-example");
  var text = document.getElementById("kg-query");
  var description = document.getElementById("kg-description");
  var statusLine = document.getElementById("kg-status");
  var results = document.getElementById("kg-results");
  var button = document.getElementById("kg-run");
  var csvButton = document.getElementById("kg-csv");
  var jsonButton = document.getElementById("kg-json");
  var base = prefixes.kg + "id/";
  var namespaces = Object.keys(prefixes).map(function (p) { return [p, prefixes[p]]; })
    .sort(function (a, b) { return b[1].length - a[1].length; });
  var lastQuery = null;

  select.addEventListener("change", function () {
    var ex = examples[Number(select.value)];
    if (!ex) { return; }
    text.value = ex.body;  // the query without its comment block, which is shown beside
    description.textContent = ex.description;
  });
  function setStatus(message, isError) {
    statusLine.textContent = message;
    statusLine.className = isError ? "kg-error" : "";
  }
  function el(tag, value, className) {
    var node = document.createElement(tag);
    if (value !== undefined) { node.textContent = value; }
    if (className) { node.className = className; }
    return node;
  }
  function prefixed(iri) {
    for (var i = 0; i < namespaces.length; i++) {
      var ns = namespaces[i][1];
      if (iri.indexOf(ns) === 0 && /^[\w.-]+$/.test(iri.slice(ns.length)) &&
          iri.slice(ns.length).slice(-1) !== ".") {
        return namespaces[i][0] + ":" + iri.slice(ns.length);
      }
    }
    return iri;
  }
  function termCell(term) {
    var td = el("td");
    if (!term) { return td; }
    if (term.type === "uri") {
      var a = el("a", prefixed(term.value));
      if (term.value.indexOf(base) === 0) {
        a.href = "id/" + term.value.slice(base.length).split("/").map(encodeURIComponent).join("/") + ".html";
      } else if (/^https?:\/\//.test(term.value)) {
        a.href = term.value;
        a.rel = "noopener noreferrer";
      } else {
        return el("td", term.value);
      }
      a.title = term.value;
      td.appendChild(a);
      return td;
    }
    if (term.type === "bnode") { td.textContent = "_:" + term.value; return td; }
    td.textContent = term.value;
    if (term["xml:lang"]) { td.appendChild(el("span", " @" + term["xml:lang"], "kg-muted")); }
    return td;
  }
  function table(data) {
    var vars = data.head.vars || [];
    var t = el("table", undefined, "kg-table");
    var head = el("tr");
    vars.forEach(function (v) { head.appendChild(el("th", v)); });
    var thead = el("thead");
    thead.appendChild(head);
    t.appendChild(thead);
    var body = el("tbody");
    data.results.bindings.forEach(function (row) {
      var tr = el("tr");
      vars.forEach(function (v) { tr.appendChild(termCell(row[v])); });
      body.appendChild(tr);
    });
    t.appendChild(body);
    return t;
  }
  function download(accept, name) {
    if (lastQuery === null) { return; }
    fetch("sparql", {
      method: "POST",
      headers: {"Content-Type": "application/sparql-query", "Accept": accept},
      body: lastQuery
    }).then(function (response) {
      if (!response.ok) {
        return response.text().then(function (m) { setStatus("HTTP " + response.status + ": " + m, true); });
      }
      return response.blob().then(function (blob) {
        var a = el("a");
        a.href = URL.createObjectURL(blob);
        a.download = name;
        document.body.appendChild(a);
        a.click();
        setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
      });
    }).catch(function (error) { setStatus("download failed: " + error, true); });
  }
  function run() {
    var started = performance.now();
    var query = text.value;
    button.disabled = true;
    results.replaceChildren();
    setStatus("running\u2026", false);
    fetch("sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/sparql-query",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9"
      },
      body: query
    }).then(function (response) {
      var seconds = ((performance.now() - started) / 1000).toFixed(2) + " s";
      var truncated = response.headers.get("X-KG-Truncated") === "true";
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok) {
        return response.text().then(function (message) {
          setStatus("HTTP " + response.status + ": " + message, true);
        });
      }
      if (type.indexOf("json") === -1) {
        return response.text().then(function (rdf) {
          results.appendChild(el("pre", rdf));
          setStatus("graph result in " + seconds + (truncated ? " (cut at the limit)" : ""), false);
        });
      }
      return response.json().then(function (data) {
        if (typeof data.boolean === "boolean") {
          results.appendChild(el("p", "ASK: " + data.boolean));
          setStatus("answered in " + seconds, false);
          return;
        }
        lastQuery = query;
        csvButton.disabled = false;
        jsonButton.disabled = false;
        results.appendChild(table(data));
        var n = data.results.bindings.length;
        setStatus(n + (n === 1 ? " row" : " rows") + " in " + seconds +
                  (truncated ? " (cut at the limit; add LIMIT or narrow the query)" : ""), false);
      });
    }).catch(function (error) {
      setStatus("request failed: " + error, true);
    }).then(function () { button.disabled = false; });
  }
  button.addEventListener("click", run);
  csvButton.addEventListener("click", function () { download("text/csv", "results.csv"); });
  jsonButton.addEventListener("click", function () {
    download("application/sparql-results+json", "results.json");
  });
  text.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    }
  });
})();
