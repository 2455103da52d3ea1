// The writer tab: an article's statements checked against policy (POST /check), with verdicts and evidence.
import { api, citationText, documentHref, el } from "/web/common.js";

const $ = (id) => document.getElementById(id);

/** Wire up the writer tab and fill its article picker. */
export function setUpWriter() {
  $("article-select").addEventListener("change", syncArticleSource);
  $("check-form").addEventListener("submit", (event) => {
    event.preventDefault();
    runCheck();
  });
  syncArticleSource();
  loadArticles();
}

async function loadArticles() {
  const select = $("article-select");
  try {
    const { documents } = await api("/documents");
    const articles = documents.filter((d) => d.article);
    const others = documents.filter((d) => !d.article);
    const byTitle = (a, b) => a.title.localeCompare(b.title);
    if (articles.length) {
      select.append(el("optgroup", { label: "Help-centre articles" },
        articles.sort(byTitle).map((d) => el("option", { value: d.doc_id }, d.title))));
    }
    if (others.length) {
      select.append(el("optgroup", { label: "Other documents" },
        others.sort(byTitle).map((d) => el("option", { value: d.doc_id }, `${d.title} (${d.doc_id})`))));
    }
  } catch (err) {
    $("check-status").textContent = `Article list unavailable: ${err.message}`;
  }
}

function syncArticleSource() {
  const chosen = Boolean($("article-select").value);
  $("article-text").disabled = chosen;
  $("article-hint").hidden = !chosen;
}

const VERDICTS = {
  SUPPORTED: { label: "Supported", icon: "✓", cls: "badge-supported" },
  CONTRADICTED: { label: "Contradicted", icon: "✗", cls: "badge-contradicted" },
  NOT_COVERED: { label: "Not covered", icon: "?", cls: "badge-not-covered" },
};

function verdictBadge(verdict, count) {
  const v = VERDICTS[verdict] || { label: verdict, icon: "", cls: "" };
  const text = count === undefined ? v.label : `${count} ${v.label.toLowerCase()}`;
  return el("span", { class: `badge ${v.cls}`, dataset: { verdict } },
    el("span", { "aria-hidden": "true" }, v.icon), " ", text);
}

async function runCheck() {
  const docId = $("article-select").value;
  const text = $("article-text").value;
  const out = $("check-results");
  if (!docId && !text.trim()) {
    $("check-status").textContent = "Paste an article or choose one first.";
    $("article-text").focus();
    return;
  }
  const button = $("check-button");
  button.disabled = true;
  out.setAttribute("aria-busy", "true");
  out.dataset.state = "loading";
  $("check-status").textContent = "Checking each statement against the policies…";
  try {
    const res = await api("/check", docId ? { doc_id: docId } : { text });
    renderCheck(res);
    out.dataset.state = "done";
    $("check-status").textContent = `${res.statements.length} statements checked.`;
  } catch (err) {
    out.dataset.state = "error";
    out.replaceChildren(el("div", { class: "notice notice-error", role: "alert" }, `Check failed: ${err.message}`));
    $("check-status").textContent = "";
  } finally {
    button.disabled = false;
    out.removeAttribute("aria-busy");
  }
}

function renderCheck(res) {
  const counts = el("p", { class: "counts" }, el("strong", {}, `${res.statements.length} statements:`), " ",
    Object.keys(VERDICTS).map((k) => [verdictBadge(k, res.counts[k] || 0), " "]));
  const rows = res.statements.map((s) => el("tr", { dataset: { verdict: s.verdict } },
    el("td", { "data-label": "Statement" }, s.text),
    el("td", { "data-label": "Verdict" }, verdictBadge(s.verdict)),
    el("td", { "data-label": "Reason" }, s.reason),
    el("td", { "data-label": "Evidence" }, s.evidence.length
      ? el("ul", { class: "evidence" }, s.evidence.map((e) => el("li", {},
        el("a", { href: documentHref(e.citation.doc_id, e.clause_id) }, citationText(e.citation)),
        el("q", {}, e.sentence.text))))
      : el("span", { class: "muted" }, "None")),
  ));
  const table = el("table", { class: "check-table" },
    el("caption", { class: "visually-hidden" }, "Statements of the article and their verdicts"),
    el("thead", {}, el("tr", {},
      ["Statement", "Verdict", "Reason", "Evidence"].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, rows));
  $("check-results").replaceChildren(counts, table);
}
