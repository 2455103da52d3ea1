// The document view: a policy document with the cited clause highlighted and scrolled into view.
import { api, citationText, codePoints, documentApiPath, el, utf16Span } from "/web/common.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const docId = params.get("doc_id");
const clauseId = params.get("clause_id");

function cameFromSearch() {
  // Back to the search page as it was (its URL keeps the query and filters), when that is where we came from.
  try {
    const ref = new URL(document.referrer);
    if (ref.origin === location.origin && ref.pathname === "/") $("back-link").href = ref.href;
  } catch {
    // no or foreign referrer: the plain link to the search page stays
  }
}

function metaList(doc) {
  const m = doc.meta || {};
  const rows = [
    ["Document", doc.doc_id], ["Version", m.version], ["Effective", m.effective], ["Audience", m.audience],
    ["Region", m.region], ["Product", m.product], ["Language", m.language], ["Format", doc.format],
  ];
  const items = [];
  for (const [name, value] of rows) {
    if (value) items.push(el("div", {}, el("dt", {}, name), el("dd", {}, value)));
  }
  const url = m.source_url;
  if (url) {
    // Only web addresses become links; anything else (javascript:, data:) stays text.
    const safe = /^https?:\/\//i.test(url);
    items.push(el("div", {}, el("dt", {}, "Source"),
      el("dd", {}, safe ? el("a", { href: url, rel: "noopener noreferrer" }, url) : url)));
  }
  return items;
}

function citedMark(text) {
  return el("mark", { id: "cited-mark", class: "cited-mark", tabindex: "-1" }, text);
}

/** Source text (pre-wrap) with a UTF-16 span marked, or plain when span is null. */
function sourceBlock(text, span) {
  const block = el("div", { class: "doc-source" });
  if (span) {
    block.append(text.slice(0, span.start), citedMark(text.slice(span.start, span.end)), text.slice(span.end));
  } else {
    block.append(text);
  }
  return block;
}

/** The cited clause's span in text as UTF-16 offsets (the API counts code points), or null when it is not valid. */
function citedSpan(text, c) {
  return c ? utf16Span(codePoints(text), c.char_start, c.char_end) : null;
}

/** The clauses in order under their section headings (for HTML sources, whose markup is unreadable). */
function clauseBlocks(doc) {
  const nodes = [];
  let previous = [];
  for (const clause of doc.clauses) {
    const section = (clause.citation.section || []).filter((s, i) => !(i === 0 && s === doc.title));
    let same = 0;
    while (same < section.length && same < previous.length && section[same] === previous[same]) same += 1;
    for (let depth = same; depth < section.length; depth += 1) {
      nodes.push(el(`h${Math.min(depth + 2, 6)}`, { class: "doc-section" }, section[depth]));
    }
    previous = section;
    const cited = clause.clause_id === clauseId;
    nodes.push(el("p", { class: "doc-clause", dataset: { clauseId: clause.clause_id } },
      cited ? citedMark(clause.text) : clause.text));
  }
  return nodes;
}

function documentBody(doc, cited) {
  const c = cited ? cited.citation : null;
  if (doc.format === "html" || (!doc.text && !doc.pages)) return clauseBlocks(doc);
  if (doc.pages && doc.pages.length) {
    return doc.pages.map((page, i) => el("section", { class: "doc-page", "aria-labelledby": `page-${i + 1}` },
      el("h2", { id: `page-${i + 1}`, class: "page-heading" }, `Page ${i + 1}`),
      sourceBlock(page, c && c.page === i + 1 ? citedSpan(page, c) : null)));
  }
  const span = citedSpan(doc.text, c);
  if (c && !span) return clauseBlocks(doc);
  return [sourceBlock(doc.text, span)];
}

async function load() {
  cameFromSearch();
  const status = $("doc-status");
  if (!docId) {
    status.replaceChildren(el("div", { class: "notice notice-error", role: "alert" },
      "No document given. Open a document from a search result."));
    document.body.dataset.state = "error";
    return;
  }
  let doc;
  try {
    doc = await api(documentApiPath(docId));
  } catch (err) {
    status.replaceChildren(el("div", { class: "notice notice-error", role: "alert" },
      `Cannot open ${docId}: ${err.message}`));
    document.body.dataset.state = "error";
    return;
  }
  document.title = `${doc.title} – policyscope`;
  $("doc-title").textContent = doc.title;
  $("doc-meta").replaceChildren(...metaList(doc));
  const cited = clauseId ? doc.clauses.find((c) => c.clause_id === clauseId) : null;
  const citedBox = $("cited");
  if (cited) {
    citedBox.replaceChildren(el("span", { class: "cited-label" }, "Cited clause"),
      el("a", { href: "#cited-mark" }, citationText(cited.citation)));
    citedBox.hidden = false;
  } else if (clauseId) {
    citedBox.replaceChildren(el("div", { class: "notice" },
      "The cited clause is no longer in this document; it may have changed since the search."));
    citedBox.hidden = false;
  }
  $("doc-body").replaceChildren(...documentBody(doc, cited));
  $("doc").hidden = false;
  $("doc").dataset.format = doc.format;
  status.textContent = "";
  const mark = $("cited-mark");
  if (mark) {
    const box = mark.getBoundingClientRect();
    const screen = window.innerHeight;
    // Scroll only when the clause is not already on screen, so a clause near the top keeps the title in view.
    // A clause taller than the screen cannot be wholly on it: its start must be, in the upper half (centring
    // it would hide its first lines above the screen), so it goes to the top, below its scroll-margin-top.
    if (box.height > screen) {
      if (box.top < 0 || box.top > screen / 2) mark.scrollIntoView({ block: "start" });
    } else if (box.top < 0 || box.bottom > screen) {
      mark.scrollIntoView({ block: "center" });
    }
    mark.focus({ preventScroll: true });
  }
  document.body.dataset.state = "ready";
}

load();
