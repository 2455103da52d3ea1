// The search page: tabs, search box and filters, the guidance answer, cited result cards. The writer tab: writer.js.
import {
  api, append, citationCopyText, citationNodes, citationText, documentHref, el, feedbackControls, freshId,
  highlighted, nearMissLabel,
} from "/web/common.js";
import { setUpWriter } from "/web/writer.js";

const FILTER_KEYS = ["audience", "region", "product", "language"];
const RESULTS_K = 10;
const ANSWER_K = 5;
const $ = (id) => document.getElementById(id);

let searchSeq = 0; // only the latest search may render (an older, slower response is dropped)
let lastQuery = "";
let noPolicy = false; // the latest answer abstained: every card shown is a near miss

// ---------------------------------------------------------------- tabs

const TABS = [
  { tab: "tab-search", panel: "panel-search", hash: "" },
  { tab: "tab-writer", panel: "panel-writer", hash: "#writer" },
];

function selectTab(tabId, { focus = false, updateHash = true } = {}) {
  for (const t of TABS) {
    const selected = t.tab === tabId;
    const tab = $(t.tab);
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    $(t.panel).hidden = !selected;
    if (selected && focus) tab.focus();
    if (selected && updateHash) {
      const url = new URL(location.href);
      url.hash = t.hash;
      history.replaceState(null, "", url);
    }
  }
}

function setUpTabs() {
  const ids = TABS.map((t) => t.tab);
  for (const id of ids) {
    const tab = $(id);
    tab.addEventListener("click", () => selectTab(id));
    tab.addEventListener("keydown", (event) => {
      const i = ids.indexOf(id);
      let next = null;
      if (event.key === "ArrowRight") next = ids[(i + 1) % ids.length];
      else if (event.key === "ArrowLeft") next = ids[(i - 1 + ids.length) % ids.length];
      else if (event.key === "Home") next = ids[0];
      else if (event.key === "End") next = ids[ids.length - 1];
      if (next) {
        event.preventDefault();
        selectTab(next, { focus: true });
      }
    });
  }
  if (location.hash === "#writer") selectTab("tab-writer", { updateHash: false });
}

// ---------------------------------------------------------------- filters

/** A filter value as shown (the value sent stays as the index lists it): "eu" -> "EU", "live" -> "Live". */
function facetLabel(key, value) {
  if ((key === "region" || key === "language") && /^[a-z]{2,3}$/i.test(value)) return value.toUpperCase();
  return value.charAt(0).toUpperCase() + value.slice(1);
}

async function loadFacets() {
  try {
    const facets = await api("/facets");
    for (const key of FILTER_KEYS) {
      const select = $(`filter-${key}`);
      const wanted = (new URLSearchParams(location.search).get(key) || select.value).toLowerCase();
      for (const value of facets[key] || []) select.append(el("option", { value }, facetLabel(key, value)));
      // Filters match case-insensitively, so an address saying region=EU selects the "eu" the index lists.
      const match = wanted && [...select.options].find((o) => o.value.toLowerCase() === wanted);
      if (match) select.value = match.value;
    }
  } catch (err) {
    $("search-status").textContent = `Filters unavailable: ${err.message}`;
  }
}

function currentFilters() {
  const filters = {};
  for (const key of FILTER_KEYS) {
    const value = $(`filter-${key}`).value;
    if (value) filters[key] = value;
  }
  return filters;
}

function rememberSearch(query, filters) {
  const url = new URL(location.href);
  url.search = new URLSearchParams({ q: query, ...filters }).toString();
  url.hash = "";
  history.replaceState(null, "", url);
}

// ---------------------------------------------------------------- search

function runSearch() {
  const query = $("q").value.trim();
  const results = $("results");
  const answer = $("answer");
  if (!query) {
    $("search-status").textContent = "Type a question or some keywords first.";
    $("q").focus();
    return;
  }
  const t0 = performance.now();
  const seq = ++searchSeq;
  const filters = currentFilters();
  lastQuery = query;
  noPolicy = false;
  rememberSearch(query, filters);

  const body = { query };
  if (Object.keys(filters).length) body.filters = filters;
  // Both requests go out at once: cards render as soon as /search answers, the answer when /answer does.
  const searching = api("/search", { ...body, k: RESULTS_K });
  const answering = api("/answer", { ...body, k: ANSWER_K });

  $("search-status").textContent = "Searching…";
  results.replaceChildren();
  results.dataset.state = "loading";
  results.setAttribute("aria-busy", "true");
  delete results.dataset.firstResultsMs;
  answer.hidden = false;
  answer.dataset.state = "loading";
  answer.setAttribute("aria-busy", "true");
  answer.replaceChildren(el("h2", { id: "answer-heading", class: "answer-title" }, "Guidance"),
    el("p", { class: "muted" }, "Finding the answer in the policies…"));

  searching.then((res) => {
    if (seq !== searchSeq) return;
    renderResults(res, query, filters);
    results.dataset.firstResultsMs = String(Math.round(performance.now() - t0));
    results.dataset.state = "done";
    results.removeAttribute("aria-busy");
    const n = res.hits.length;
    let said = `${n} ${n === 1 ? "clause" : "clauses"} found.`;
    if (!n) said = noClauseText(filters); // never "0 near misses": nothing passed the filters at all
    else if (res.abstained) said = `No policy found; ${n} near ${n === 1 ? "miss" : "misses"} shown.`;
    $("search-status").textContent = said;
  }, (err) => {
    if (seq !== searchSeq) return;
    results.dataset.state = "error";
    results.removeAttribute("aria-busy");
    results.replaceChildren(
      el("div", { class: "notice notice-error", role: "alert" }, `Search failed: ${err.message}`));
    $("search-status").textContent = "";
  });

  answering.then((res) => {
    if (seq !== searchSeq) return;
    renderAnswer(res, query, filters);
  }, (err) => {
    if (seq !== searchSeq) return;
    answer.dataset.state = "error";
    answer.removeAttribute("aria-busy");
    answer.replaceChildren(el("h2", { id: "answer-heading", class: "answer-title" }, "Guidance"),
      el("p", { class: "notice notice-error", role: "alert" }, `No answer: ${err.message}`));
  });
}

/** What the page says when no clause at all is left to show. */
function noClauseText(filters) {
  return Object.keys(filters).length ? "No clause matches these filters." : "No clauses found.";
}

function nearMissHeading() {
  return el("div", { class: "results-head" }, el("h2", { class: "results-title" }, "Near misses"),
    el("p", { class: "muted" },
      "No clause answers this question. These are the closest ones; they are not an answer."));
}

function renderResults(res, query, filters) {
  const results = $("results");
  const nodes = [];
  const abstained = res.abstained || noPolicy;
  if (abstained && res.hits.length) {
    nodes.push(nearMissHeading());
  } else if (res.hits.length) {
    nodes.push(el("div", { class: "results-head" }, el("h2", { class: "results-title" }, "Policy clauses")));
  } else {
    nodes.push(el("div", { class: "notice no-clause" }, el("strong", {}, noClauseText(filters)),
      Object.keys(filters).length ? " Set a filter back to “Any” to widen the search." : ""));
  }
  const list = el("ol", { class: "cards" });
  res.hits.forEach((hit, i) => {
    list.append(el("li", {}, resultCard(abstained ? { ...hit, near_miss: true } : hit, i + 1, query, filters)));
  });
  results.replaceChildren(...nodes, list);
}

/** The answer found no policy: cards already shown as answers become labelled near misses. */
function showCardsAsNearMisses() {
  const results = $("results");
  for (const card of results.querySelectorAll(".card[data-near-miss='false']")) {
    card.dataset.nearMiss = "true";
    card.classList.add("card-near-miss");
    card.querySelector(".card-head").append(nearMissLabel());
  }
  const head = results.querySelector(".results-head");
  const n = results.querySelectorAll(".card").length;
  if (head && n) {
    head.replaceWith(nearMissHeading());
    $("search-status").textContent = `No policy found; ${n} near ${n === 1 ? "miss" : "misses"} shown.`;
  }
}

function resultCard(hit, position, query, filters) {
  const c = hit.citation;
  const card = el("article", {
    class: hit.near_miss ? "card card-near-miss" : "card",
    id: `result-${position}`,
    tabindex: "-1",
    "aria-labelledby": `result-${position}-citation`,
    dataset: {
      clauseId: hit.clause_id, docId: c.doc_id, nearMiss: String(hit.near_miss), rank: String(hit.rank),
      audience: hit.meta.audience || "", region: hit.meta.region || "", product: hit.meta.product || "",
      language: hit.meta.language || "",
    },
  });
  const described = `result-${position}-citation`; // each card's buttons name the clause they act on
  const head = el("div", { class: "card-head" },
    el("span", { class: "rank", "aria-hidden": "true" }, String(position)),
    el("h3", { class: "citation", id: described }, citationNodes(c)));
  if (hit.near_miss) head.append(nearMissLabel());
  card.append(head);
  card.append(el("p", { class: "clause-text" }, highlighted(hit.text, hit.best_sentences, { class: "best" })));
  if (hit.also_in && hit.also_in.length) {
    card.append(el("div", { class: "also-in" }, el("span", { class: "muted" }, "Also in:"),
      el("ul", {}, hit.also_in.map((p) => el("li", {},
        el("a", { href: documentHref(p.doc_id, p.clause_id) }, citationText(p)))))));
  }
  const status = el("span", { class: "copy-status", role: "status" });
  const fallbackId = freshId("citation");
  const fallback = el("div", { class: "copy-fallback", hidden: true },
    el("label", { for: fallbackId }, "Citation (select and copy)"),
    el("textarea", { id: fallbackId, class: "input", readonly: true, rows: "3" }));
  const copy = el("button", { type: "button", class: "button button-small", "aria-describedby": described },
    "Copy citation");
  copy.addEventListener("click", () => copyCitation(c, fallback, status));
  card.append(el("div", { class: "card-actions" },
    el("div", { class: "card-links" },
      el("a", { class: "button button-small", href: documentHref(c.doc_id, hit.clause_id),
        "aria-describedby": described }, "Open in document"),
      copy, status),
    feedbackControls({ query, filters, target: "result", clause_id: hit.clause_id }, described)));
  card.append(fallback);
  return card;
}

async function copyCitation(citation, fallback, status) {
  const text = citationCopyText(citation);
  try {
    if (!navigator.clipboard || !navigator.clipboard.writeText) throw new Error("no clipboard");
    await navigator.clipboard.writeText(text);
    status.textContent = "Citation copied.";
  } catch {
    // No clipboard (insecure context, permission refused): show the citation to copy by hand.
    const field = fallback.querySelector("textarea");
    field.value = text;
    fallback.hidden = false;
    field.focus();
    field.select();
    status.textContent = "Copy the citation from the field below.";
  }
}

// ---------------------------------------------------------------- answer

function renderAnswer(res, query, filters) {
  const box = $("answer");
  box.removeAttribute("aria-busy");
  if (!res.clauses.length) {
    // No clause at all passed the filters: the results say so (in words, with how to widen the search); an
    // empty "No policy found" panel above them would only repeat it.
    box.dataset.state = "empty";
    box.replaceChildren();
    box.hidden = true;
    return;
  }
  box.dataset.state = res.abstained ? "abstained" : "answered";
  const title = el("h2", { id: "answer-heading", class: "answer-title" },
    res.abstained ? "No policy found" : "Guidance");
  if (res.abstained) {
    // The near misses are the result cards below, each labelled; the panel says plainly that none answers.
    noPolicy = true;
    box.replaceChildren(el("div", { class: "no-policy" }, title, el("p", {}, noPolicyDetail(res.text))));
    showCardsAsNearMisses();
  } else {
    const paragraph = el("p", { class: "answer-text" });
    res.sentences.forEach((s, i) => {
      append(paragraph, [i ? " " : "", s.text, " "]);
      paragraph.append(markerLink(s.marker, res.clauses[s.marker - 1]));
    });
    const cited = new Set(res.sentences.map((s) => s.marker));
    const head = el("div", { class: "answer-head" }, title);
    if (res.confidence !== null && res.confidence !== undefined) {
      head.append(el("span", { class: "muted" }, `confidence ${Math.round(res.confidence * 100)}%`));
    }
    box.replaceChildren(head, paragraph,
      el("h3", { class: "sources-title" }, "Sources"),
      el("ol", { class: "sources" }, res.clauses.map((hit, i) => cited.has(i + 1)
        ? el("li", { id: `source-${i + 1}`, value: String(i + 1), tabindex: "-1" },
          el("a", { href: documentHref(hit.citation.doc_id, hit.clause_id) }, citationText(hit.citation)))
        : null)));
  }
  const clauseIds = [...new Set(res.sentences.map((s) => s.clause_id))];
  box.append(feedbackControls({ query, filters, target: "answer", clause_id: null, clause_ids: clauseIds,
    answer_text: res.text }, "answer-heading"));
}

function noPolicyDetail(text) {
  // The message starts "No policy found ..." and the heading already says so: keep what follows it.
  const rest = text.replace(/^No policy found[^.]*\.\s*/, "");
  return rest || text;
}

/** A clickable [n]: jumps to the result card of clause n when it is shown, else to its source line. */
function markerLink(n, hit) {
  const link = el("a", { class: "marker", href: `#source-${n}`, "aria-label": `source ${n}` }, `[${n}]`);
  link.addEventListener("click", (event) => {
    const cards = [...document.querySelectorAll("#results .card")];
    const card = hit && cards.find((c) => c.dataset.clauseId === hit.clause_id);
    const target = card || $(`source-${n}`);
    if (!target) return;
    event.preventDefault();
    target.scrollIntoView({ behavior: "smooth", block: "center" });
    target.focus({ preventScroll: true });
    target.classList.remove("flash");
    void target.offsetWidth; // restart the animation
    target.classList.add("flash");
  });
  return link;
}

// ---------------------------------------------------------------- keyboard and start-up

function isTypingTarget(node) {
  if (!node) return false;
  const tag = node.tagName;
  return node.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
}

function setUp() {
  setUpTabs();
  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    runSearch();
  });
  for (const key of FILTER_KEYS) {
    $(`filter-${key}`).addEventListener("change", () => {
      if (lastQuery && $("q").value.trim()) runSearch();
    });
  }
  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target)) return;
    event.preventDefault();
    if ($("panel-search").hidden) selectTab("tab-search");
    $("q").focus();
    $("q").select();
  });
  setUpWriter();

  const query = new URLSearchParams(location.search).get("q");
  const facets = loadFacets();
  if (query) {
    $("q").value = query;
    facets.then(runSearch); // filters from the URL must be in the selects before searching
  }
}

setUp();
