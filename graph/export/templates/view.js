/* paper-kg graph view. Everything shown comes from the JSON in #graph-data and is put on the
   page as text (textContent, option.value, vis-network labels drawn on a canvas): no data is ever
   parsed as HTML. */
(function () {
  "use strict";

  var body = document.body;
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var container = document.getElementById("kg-network");
  var searchForm = document.getElementById("kg-search-form");
  var searchInput = document.getElementById("kg-search");
  var searchStatus = document.getElementById("kg-search-status");
  var progress = document.getElementById("kg-progress");
  var details = document.getElementById("kg-details");
  var detailsTitle = document.getElementById("kg-details-title");
  var detailsKind = document.getElementById("kg-details-kind");
  var detailsBody = document.getElementById("kg-details-body");
  var neighboursTitle = document.getElementById("kg-neighbours-title");
  var neighboursList = document.getElementById("kg-neighbours");
  var NEIGHBOUR_LIMIT = 200;
  var TIP_ABSTRACT = 280;

  var FADED = "rgba(190,190,190,0.25)";
  var FADED_FONT = "rgba(60,60,60,0.1)";
  var EDGE_STYLE = {
    variantOf: { color: "#555555", width: 1.5, dashes: [6, 4], arrows: "to" },
    proposes: { color: "#8a8a8a", width: 1.8, dashes: false, arrows: "" },
    link: { color: "#c9c9c9", width: 1, dashes: false, arrows: "" }
  };
  // relations between entities: one style per type, from the data (also the legend's)
  (data.relations || []).forEach(function (r) {
    EDGE_STYLE[r.predicate] = { color: r.color, width: 2.2, dashes: r.dashes, arrows: "to" };
  });

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  // Only http(s) links are ever made (the page builds them from arXiv ids and URLs).
  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\/[^\s<>"]+$/i.test(url) ? url : null;
  }

  function kindName(n) {
    return n.kind === "Language" && n.group ? "Language group" : n.kind;
  }

  function shorten(text, limit) {
    text = String(text);
    return text.length <= limit ? text : text.slice(0, limit - 1).replace(/\s+$/, "") + "…";
  }

  function norm(text) {
    return String(text).normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
  }

  // ---- styles per type ------------------------------------------------------------------
  var kindInfo = {};
  data.kinds.forEach(function (k) { kindInfo[k.kind] = k; });

  function nodeColor(kind, focus) {
    var c = kindInfo[kind].color;
    var border = focus ? "#000000" : kind === "Paper" ? "#8c8c8c" : "#333333";
    return {
      background: c, border: border,
      highlight: { background: c, border: "#000000" },
      hover: { background: c, border: "#000000" }
    };
  }

  // ---- tooltips: DOM elements filled with textContent ----------------------------------
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
    "Dec"];
  function showDate(text) {
    var m = /^--(\d\d)-(\d\d)$/.exec(text);  // xsd:gMonthDay: a listing day without a year
    return m && MONTHS[Number(m[1]) - 1] ? MONTHS[Number(m[1]) - 1] + " " + Number(m[2]) : text;
  }

  function tipRow(box, key, value) {
    var row = el("div", "kg-tip-row");
    row.appendChild(el("span", "kg-tip-key", key + ": "));
    row.appendChild(el("span", "kg-data", value));
    box.appendChild(row);
  }

  function tooltip(n) {
    var box = el("div", "kg-tip");
    box.appendChild(el("div", "kg-tip-title kg-data", n.label));
    tipRow(box, "Type", kindName(n));
    if (n.focus) tipRow(box, "Focus", "the entity this view is centred on");
    if (n.kind === "Paper") {
      if (n.date) tipRow(box, "Date", showDate(n.date));
      if (n.arxiv) tipRow(box, "arXiv", n.arxiv);
      if (n.abstract) box.appendChild(el("p", "kg-tip-abstract kg-data", shorten(n.abstract, TIP_ABSTRACT)));
      box.appendChild(el("div", "kg-tip-more", "Click for the abstract and link."));
    } else {
      if (n.aliases && n.aliases.length) tipRow(box, "Also", n.aliases.join(" · "));
      tipRow(box, "Papers", n.papers);
      if (n.codes) tipRow(box, "Codes", n.codes);
      if (n.evidence) box.appendChild(el("blockquote", "kg-tip-evidence kg-data", n.evidence));
      (n.relations || []).forEach(function (r) {
        var row = el("div", "kg-tip-relation");
        row.appendChild(el("span", "kg-tip-key", (r.out ? r.label + " → " : "← " + r.label + " ")));
        row.appendChild(el("span", "kg-data", r.other));
        row.appendChild(el("span", "kg-count", " · " + r.papers + (r.papers === 1 ? " paper" : " papers")));
        box.appendChild(row);
        if (r.sentence) {
          var quote = el("blockquote", "kg-tip-evidence kg-data", r.sentence);
          if (r.title) quote.appendChild(el("cite", "kg-data", r.title));
          box.appendChild(quote);
        }
      });
    }
    return box;
  }

  // ---- data sets ------------------------------------------------------------------------
  var byId = {};
  var idsOfKind = {};
  var baseColor = {};
  var baseFont = {};
  var nodeItems = data.nodes.map(function (n) {
    byId[n.id] = n;
    (idsOfKind[n.kind] = idsOfKind[n.kind] || []).push(n.id);
    var isPaper = n.kind === "Paper";
    baseColor[n.id] = nodeColor(n.kind, n.focus);
    baseFont[n.id] = { color: "#222222", size: n.font || 14, strokeWidth: 3 };
    var item = {
      id: n.id,
      x: n.x,
      y: n.y,
      shape: kindInfo[n.kind].shape,
      size: n.size,
      color: baseColor[n.id],
      font: baseFont[n.id],
      title: tooltip(n),
      borderWidth: n.focus ? 5 : isPaper ? 0.5 : 1,
      borderWidthSelected: n.focus ? 6 : 2
    };
    if (!isPaper) item.label = n.label;
    return item;
  });
  var edgeItems = data.edges.map(function (e, i) {
    var style = EDGE_STYLE[e[2]] || EDGE_STYLE.link;
    return {
      id: i, from: e[0], to: e[1], predicate: e[2],
      color: { color: style.color, highlight: "#333333", hover: "#333333", inherit: false },
      width: style.width, dashes: style.dashes, arrows: style.arrows
    };
  });
  var nodes = new vis.DataSet(nodeItems);
  var edges = new vis.DataSet(edgeItems);

  var big = nodeItems.length > 800;
  var iterations = data.physics.iterations;
  var physics = iterations > 0 ? {
    enabled: true,
    solver: "barnesHut",
    barnesHut: data.physics.barnesHut,
    minVelocity: 1,
    stabilization: { enabled: true, iterations: iterations, updateInterval: 10, fit: true }
  } : { enabled: false };

  var network = new vis.Network(container, { nodes: nodes, edges: edges }, {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 1 },
    physics: physics,
    nodes: {
      font: { face: "system-ui, sans-serif", strokeWidth: 3, strokeColor: "#ffffff" },
      scaling: { label: { drawThreshold: 6, maxVisible: 30 } }
    },
    edges: { smooth: false, selectionWidth: 1, hoverWidth: 0.5 },
    interaction: {
      hover: true,
      tooltipDelay: 120,
      hideEdgesOnDrag: big,
      hideEdgesOnZoom: big,
      multiselect: false,
      navigationButtons: false,
      keyboard: false
    }
  });

  var view = {
    nodeCount: nodes.length,
    edgeCount: edges.length,
    network: network,
    nodes: nodes,
    edges: edges,
    data: data,
    stable: false,
    focusId: data.focus === undefined ? null : data.focus,
    focused: null,
    details: null,
    highlighted: [],
    hiddenKinds: [],
    find: find,
    focusNode: focusNode,
    setKindVisible: setKindVisible,
    highlight: highlight,
    clearHighlight: clearHighlight,
    showDetails: showDetails,
    visibleNodeIds: function () { return network.body.nodeIndices.slice(); },
    visibleEdgeIds: function () { return network.body.edgeIndices.slice(); }
  };
  window.kgView = view;

  // ---- stabilise once, then stop --------------------------------------------------------
  function markStable() {
    if (view.stable) return;
    network.setOptions({ physics: { enabled: false } });
    network.stopSimulation();
    network.fit({ animation: false });
    if (view.focusId !== null && byId[view.focusId]) {  // kg view --focus: marked and described
      network.selectNodes([view.focusId]);
      view.focused = view.focusId;
      showDetails(view.focusId);
    }
    view.stable = true;
    progress.textContent = "";
    network.once("afterDrawing", function () { body.setAttribute("data-stable", "true"); });
    network.redraw();
  }
  if (nodeItems.length === 0) {
    markStable();
  } else if (iterations > 0) {
    network.on("stabilizationProgress", function (p) {
      progress.textContent = "Laying out… " + Math.round((100 * p.iterations) / p.total) + "%";
    });
    network.once("stabilizationIterationsDone", markStable);
  } else {
    network.once("afterDrawing", markStable);
  }

  // ---- neighbourhood highlighting -------------------------------------------------------
  function highlight(id) {
    var near = {};
    near[id] = true;
    network.getConnectedNodes(id).forEach(function (other) { near[other] = true; });
    nodes.update(nodeItems.map(function (n) {
      return near[n.id]
        ? { id: n.id, color: baseColor[n.id], font: baseFont[n.id] }
        : { id: n.id, color: { background: FADED, border: FADED },
            font: { color: FADED_FONT, size: baseFont[n.id].size, strokeWidth: 0 } };
    }));
    edges.update(edgeItems.map(function (e) {
      var on = e.from === id || e.to === id;
      return { id: e.id, color: on ? { color: "#444444", inherit: false } : { color: FADED, inherit: false } };
    }));
    view.highlighted = Object.keys(near).map(Number).sort(function (a, b) { return a - b; });
    showDetails(id);
  }

  function clearHighlight() {
    hideDetails();
    if (!view.highlighted.length) return;
    nodes.update(nodeItems.map(function (n) {
      return { id: n.id, color: baseColor[n.id], font: baseFont[n.id] };
    }));
    edges.update(edgeItems.map(function (e) { return { id: e.id, color: e.color }; }));
    view.highlighted = [];
  }

  // ---- the details panel: what a node is, its link and abstract, its neighbours ------------
  function detailRow(key, value) {
    var p = el("p");
    p.appendChild(el("span", "kg-tip-key", key + ": "));
    p.appendChild(el("span", "kg-data", value));
    detailsBody.appendChild(p);
  }

  function neighbourOrder(a, b) {
    var na = byId[a], nb = byId[b];
    var pa = na.kind === "Paper", pb = nb.kind === "Paper";
    if (pa !== pb) return pa ? 1 : -1;
    if ((nb.papers || 0) !== (na.papers || 0)) return (nb.papers || 0) - (na.papers || 0);
    return na.label < nb.label ? -1 : na.label > nb.label ? 1 : a - b;
  }

  function showDetails(id) {
    var n = byId[id];
    if (!n) return;
    detailsTitle.textContent = n.label;
    detailsKind.textContent = kindName(n) + (n.focus ? " · the focus of this view" : "");
    clear(detailsBody);
    if (n.kind === "Paper") {
      if (n.date) detailRow("Listed", showDate(n.date));
      var url = safeUrl(n.url);
      if (url) {
        var p = el("p");
        var a = el("a", "kg-link", n.arxiv ? "arXiv:" + n.arxiv : url);
        a.href = url;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        p.appendChild(a);
        detailsBody.appendChild(p);
      }
      if (n.abstract) detailsBody.appendChild(el("p", "kg-abstract kg-data", n.abstract));
    } else {
      if (n.aliases && n.aliases.length) detailRow("Also", n.aliases.join(" · "));
      detailRow("Papers", n.papers);
      if (n.codes) detailRow("Codes", n.codes);
      if (n.evidence) detailsBody.appendChild(el("blockquote", "kg-tip-evidence kg-data", n.evidence));
    }
    var near = network.getConnectedNodes(id).filter(function (o) { return byId[o]; });
    near.sort(neighbourOrder);
    neighboursTitle.textContent = "Neighbours (" + near.length + ")";
    clear(neighboursList);
    near.slice(0, NEIGHBOUR_LIMIT).forEach(function (other) {
      var li = el("li");
      var button = el("button", "kg-neighbour kg-data", byId[other].label);
      button.type = "button";
      button.setAttribute("data-id", String(other));
      button.addEventListener("click", function () { focusNode(other); });
      li.appendChild(button);
      li.appendChild(el("span", "kg-neighbour-kind", " " + kindName(byId[other])));
      neighboursList.appendChild(li);
    });
    if (near.length > NEIGHBOUR_LIMIT) {
      neighboursList.appendChild(el("li", "kg-neighbour-more", "… and " + (near.length - NEIGHBOUR_LIMIT) + " more"));
    }
    details.hidden = false;
    view.details = id;
  }

  function hideDetails() {
    details.hidden = true;
    view.details = null;
  }

  network.on("click", function (params) {
    if (params.nodes.length) highlight(params.nodes[0]);
    else clearHighlight();
  });

  // ---- type toggles and legend -----------------------------------------------------------
  var checkboxes = {};
  function setKindVisible(kind, visible) {
    if (!kindInfo[kind]) return;
    checkboxes[kind].checked = visible;
    var hidden = view.hiddenKinds.filter(function (k) { return k !== kind; });
    if (!visible) hidden.push(kind);
    view.hiddenKinds = hidden.sort();
    nodes.update((idsOfKind[kind] || []).map(function (id) { return { id: id, hidden: !visible }; }));
  }

  var list = document.getElementById("kg-types");
  data.kinds.forEach(function (k) {
    var item = el("li");
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.id = "kg-type-" + k.kind;
    box.setAttribute("data-kind", k.kind);
    box.addEventListener("change", function () { setKindVisible(k.kind, box.checked); });
    checkboxes[k.kind] = box;
    var swatch = el("span", "kg-swatch kg-shape-" + (k.kind === "Paper" ? "paper" : k.shape));
    swatch.style.background = k.color;
    label.appendChild(box);
    label.appendChild(swatch);
    label.appendChild(el("span", "kg-type-name", k.label));
    // linked entities (named by a paper), then family-only ones, as kg build and kg stats count
    var linkedShown = k.shown - (k.familyShown || 0), linkedTotal = k.total - (k.familyTotal || 0);
    var count = el("span", "kg-count",
      (linkedShown === linkedTotal ? String(linkedTotal) : linkedShown + " of " + linkedTotal) +
      (k.familyShown ? " + " + k.familyShown : ""));
    if (k.familyTotal) {
      count.title = linkedTotal + " linked (named by a paper), " + k.familyTotal +
        " family-only (named by none); " + k.familyShown + " of those shown";
    }
    label.appendChild(count);
    item.appendChild(label);
    list.appendChild(item);
  });
  var edgeList = document.getElementById("kg-edge-types");
  (data.edgeKinds || []).forEach(function (k) {
    var item = el("li");
    item.setAttribute("data-edge", k.kind);
    item.appendChild(el("span", "kg-edge-swatch kg-edge-" + k.kind));
    item.appendChild(el("span", "kg-edge-name", k.label));
    edgeList.appendChild(item);
  });
  if (!edgeList.firstChild) document.getElementById("kg-edge-legend").hidden = true;
  var relationList = document.getElementById("kg-relations");
  (data.relations || []).forEach(function (r) {
    var item = el("li");
    var line = el("span", "kg-edge-swatch");
    line.style.borderTopColor = r.color;
    line.style.borderTopStyle = r.dashes ? "dashed" : "solid";
    item.setAttribute("data-predicate", r.predicate);
    item.appendChild(line);
    item.appendChild(el("span", "kg-type-name", r.label));
    relationList.appendChild(item);
  });
  document.getElementById("kg-relations-legend").hidden = !(data.relations || []).length;
  document.getElementById("kg-note").textContent = data.note;

  // ---- search -----------------------------------------------------------------------------
  var names = document.getElementById("kg-names");
  var seen = {};
  function addOption(value, hint) {
    var key = norm(value);
    if (!key || seen[key]) return;
    seen[key] = true;
    var option = document.createElement("option");
    option.value = value;
    if (hint) option.label = hint;
    names.appendChild(option);
  }
  data.nodes.forEach(function (n) {
    if (n.kind === "Paper") return;
    addOption(n.label, n.kind);
  });
  data.nodes.forEach(function (n) {
    if (n.kind === "Paper") return;
    (n.aliases || []).forEach(function (a) { addOption(a, n.label + " (" + n.kind + ")"); });
  });

  var keys = data.nodes.map(function (n) {
    return {
      id: n.id,
      paper: n.kind === "Paper",
      papers: n.papers || 0,
      label: norm(n.label),
      aliases: (n.aliases || []).map(norm).concat(n.arxiv ? [norm(n.arxiv)] : [])
    };
  });
  function better(a, b) {
    if (!b) return true;
    if (a.paper !== b.paper) return !a.paper;
    if (a.papers !== b.papers) return a.papers > b.papers;
    return a.id < b.id;
  }
  function find(query) {
    var q = norm(query);
    if (!q) return null;
    var tests = [
      function (k) { return k.label === q; },
      function (k) { return k.aliases.indexOf(q) >= 0; },
      function (k) { return k.label.indexOf(q) === 0 || k.aliases.some(function (a) { return a.indexOf(q) === 0; }); },
      function (k) { return k.label.indexOf(q) >= 0 || k.aliases.some(function (a) { return a.indexOf(q) >= 0; }); }
    ];
    for (var t = 0; t < tests.length; t++) {
      var best = null;
      for (var i = 0; i < keys.length; i++) {
        if (tests[t](keys[i]) && better(keys[i], best)) best = keys[i];
      }
      if (best) return best.id;
    }
    return null;
  }

  function focusNode(id) {
    var n = byId[id];
    if (!n) return false;
    if (view.hiddenKinds.indexOf(n.kind) >= 0) setKindVisible(n.kind, true);
    network.selectNodes([id]);
    highlight(id);
    view.focused = id;
    network.focus(id, {
      scale: Math.max(network.getScale(), 1.0),
      animation: { duration: 400, easingFunction: "easeInOutQuad" }
    });
    return true;
  }

  searchForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = searchInput.value;
    var id = find(query);
    if (id === null) {
      // a miss leaves nothing of the last search behind: no highlight, no selection, no panel
      clearHighlight();
      network.unselectAll();
      view.focused = null;
      searchStatus.className = "kg-miss";
      searchStatus.textContent = query.trim() ? "Nothing named “" + query.trim() + "” in this view." : "";
      return;
    }
    focusNode(id);
    searchStatus.className = "";
    searchStatus.textContent = "Found " + byId[id].label + " (" + byId[id].kind + ").";
  });
  searchInput.addEventListener("input", function (event) {
    // picking an entry of the datalist replaces the whole text: search at once
    if (event.inputType === "insertReplacementText" || event.inputType === undefined) {
      if (seen[norm(searchInput.value)]) searchForm.requestSubmit();
    }
  });
})();
