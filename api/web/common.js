// Shared by the search page and the document view: DOM building, citations, API calls, feedback.
// Data from the index is only ever inserted as text (text nodes, textContent, .value), never as markup:
// the corpus may hold hostile HTML and it must show as text.

/** Build an element: attrs become attributes (class, dataset, on* listeners); children become nodes or text. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

/** Append children (nodes, strings as text nodes, nested arrays); null/false are skipped. */
export function append(node, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Call the API; resolves to the JSON body, rejects with an Error saying what the server said. */
export async function api(path, body, method) {
  const init = { method: method || (body === undefined ? "GET" : "POST"), headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new Error("The policyscope server cannot be reached. Check that it is running.");
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    throw new Error(detailOf(data) || `The server answered ${response.status} ${response.statusText}.`);
  }
  return data;
}

function detailOf(data) {
  const detail = data && data.detail;
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) return detail.map((d) => (d && d.msg) || String(d)).join("; ");
  return "";
}

/** The path of a document in the API, each doc_id segment encoded (doc_ids hold slashes and spaces). */
export function documentApiPath(docId) {
  return "/documents/" + docId.split("/").map(encodeURIComponent).join("/");
}

/** The document view of a clause (clause ids hold "#", so they are always query-encoded). */
export function documentHref(docId, clauseId) {
  const params = new URLSearchParams({ doc_id: docId });
  if (clauseId) params.set("clause_id", clauseId);
  return "/document?" + params.toString();
}

/** The heading path of a citation: title > section > ... > clause n (a section equal to the title is left out). */
export function citationPath(c) {
  const parts = [c.title];
  for (const s of c.section || []) if (s && s !== c.title) parts.push(s);
  if (c.number) parts.push(`clause ${c.number}`);
  return parts;
}

/** The citation line: title > section > clause no. · p. N · version · effective date (missing parts left out). */
export function citationText(c) {
  return [citationPath(c).join(" > "), ...citationExtras(c)].join(" · ");
}

function citationExtras(c) {
  const extra = [];
  if (c.page) extra.push(`p. ${c.page}`);
  if (c.version) extra.push(`version ${c.version}`);
  if (c.effective) extra.push(`effective ${c.effective}`);
  return extra;
}

/** The citation line as nodes (title emphasised, dates and version muted); its text is citationText(c). */
export function citationNodes(c) {
  const [title, ...rest] = citationPath(c);
  const nodes = [el("span", { class: "citation-title" }, title)];
  for (const part of rest) nodes.push(" > ", part);
  const extra = citationExtras(c);
  if (extra.length) {
    const pieces = extra.map((e) => [" · ", el("span", { class: "nowrap" }, e)]);
    nodes.push(el("span", { class: "citation-extra" }, pieces));
  }
  return nodes;
}

/** What "Copy citation" copies: the citation line, then where exactly the clause is in its source. */
export function citationCopyText(c) {
  const span = `characters ${c.char_start}-${c.char_end}`;
  const where = c.page ? `page ${c.page}, ${span}` : span;
  return `${citationText(c)}\n${c.doc_id} (${where})`;
}

/**
 * Offsets into text as the API counts them (code points, as Python does) turned into JavaScript string
 * offsets (UTF-16 units): an emoji is one code point but two units. Built once per text; `length` is the
 * text's length in code points, `at(i)` the UTF-16 offset of code point i (NaN when out of range).
 */
export function codePoints(text) {
  if (!/[\uD800-\uDFFF]/.test(text)) {
    // No surrogates: the two counts agree (the common case; long documents need no map).
    return { length: text.length, at: (i) => (Number.isInteger(i) && i >= 0 && i <= text.length ? i : NaN) };
  }
  const units = [];
  let at = 0;
  for (const ch of text) {
    units.push(at);
    at += ch.length;
  }
  units.push(at);
  return {
    length: units.length - 1,
    at: (i) => (Number.isInteger(i) && i >= 0 && i < units.length ? units[i] : NaN),
  };
}

/** The [start, end) code-point span of text (API offsets) as UTF-16 offsets, or null when it is not a valid span. */
export function utf16Span(points, start, end) {
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end > start && end <= points.length)) {
    return null;
  }
  return { start: points.at(start), end: points.at(end) };
}

/**
 * The text as nodes, with the given [start, end) spans (API offsets, in code points) wrapped in <mark>;
 * bad or overlapping spans are skipped.
 */
export function highlighted(text, spans, markAttrs = {}) {
  const nodes = [];
  const points = codePoints(text);
  let at = 0;
  const sorted = [...(spans || [])].sort((a, b) => a.start - b.start);
  for (const span of sorted) {
    const s = utf16Span(points, span.start, span.end);
    if (!s || s.start < at) continue;
    if (s.start > at) nodes.push(document.createTextNode(text.slice(at, s.start)));
    nodes.push(el("mark", markAttrs, text.slice(s.start, s.end)));
    at = s.end;
  }
  if (at < text.length) nodes.push(document.createTextNode(text.slice(at)));
  return nodes;
}

/** A label saying the clause is a near miss, in words (not colour alone). */
export function nearMissLabel() {
  return el("span", { class: "label label-near-miss" }, "Near miss – not an answer");
}

let uid = 0;
/** A fresh id for pairing labels with inputs built at run time. */
export function freshId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

/**
 * "Helpful" / "Not helpful" buttons for a result or the answer. After a vote: a "Thanks" status and an
 * optional comment field that is sent to PUT /feedback/{id}. describedBy: the id of what the votes are about
 * (a card's citation line), so a screen reader says which clause a button rates.
 */
export function feedbackControls(payload, describedBy = null) {
  const status = el("span", { class: "feedback-status", role: "status", tabindex: "-1" });
  const button = (label) => el("button", { type: "button", class: "button button-small", "aria-pressed": "false",
    "aria-describedby": describedBy }, label);
  const yes = button("Helpful");
  const no = button("Not helpful");
  const row = el("div", { class: "feedback-row" },
    el("span", { class: "muted" }, "Was this useful?"), yes, no, status);
  const box = el("div", { class: "feedback" }, row);

  async function vote(helpful) {
    const pressed = helpful ? yes : no;
    yes.disabled = no.disabled = true; // the focused button is disabled: focus moves on below, never to <body>
    pressed.setAttribute("aria-pressed", "true");
    status.textContent = "Sending…";
    try {
      const saved = await api("/feedback", { ...payload, helpful, comment: null });
      status.textContent = "Thanks – feedback recorded.";
      box.dataset.feedbackId = String(saved.id);
      const form = commentForm(saved.id, status, describedBy);
      box.append(form);
      form.querySelector("input").focus();
    } catch (err) {
      status.textContent = `Feedback not sent: ${err.message}`;
      yes.disabled = no.disabled = false;
      pressed.setAttribute("aria-pressed", "false");
      pressed.focus();
    }
  }
  yes.addEventListener("click", () => vote(true));
  no.addEventListener("click", () => vote(false));
  return box;
}

function commentForm(feedbackId, status, describedBy) {
  const id = freshId("comment");
  const input = el("input", { type: "text", id, class: "input", maxlength: "2000", autocomplete: "off",
    "aria-describedby": describedBy });
  const send = el("button", { type: "submit", class: "button button-small", "aria-describedby": describedBy },
    "Send comment");
  const form = el("form", { class: "feedback-comment" },
    el("label", { for: id }, "Comment (optional)"), el("div", { class: "inline" }, input, send));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const comment = input.value.trim();
    if (!comment) {
      status.textContent = "Type a comment first, or leave it.";
      input.focus();
      return;
    }
    send.disabled = true;
    try {
      await api(`/feedback/${feedbackId}`, { comment }, "PUT");
      status.textContent = "Thanks – comment added.";
      // The form (and the focus in it) goes: focus the status that replaces it, not <body>.
      form.replaceWith(el("p", { class: "muted" }, "Comment sent."));
      status.focus();
    } catch (err) {
      status.textContent = `Comment not sent: ${err.message}`;
      send.disabled = false;
      input.focus();
    }
  });
  return form;
}
