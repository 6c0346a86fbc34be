// The review page: checks a claim or a draft through the API and shows each cited sentence
// highlighted in its article's paragraph. Plain JavaScript, no build step, nothing from a CDN.
// An API key, when the service asks for one, is kept in sessionStorage only (this tab) and sent as
// X-API-Key; the page never embeds one.
"use strict";

const KEY_STORAGE = "factcheck-api-key";
const articles = new Map(); // article id -> its JSON, fetched once per page
let retry = null; // what to run again once a key is given

class NeedsKey extends Error {}

function $(id) {
  return document.getElementById(id);
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

async function api(path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const key = sessionStorage.getItem(KEY_STORAGE);
  if (key) headers["X-API-Key"] = key;
  const response = await fetch(path, {
    method: body === undefined ? "GET" : "POST",
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => null);
  if (response.status === 401) {
    askForKey(key ? "That key was not accepted. Enter a valid API key." : "This service needs an API key.");
    throw new NeedsKey();
  }
  if (!response.ok) {
    const detail = data && (data.detail || data.title);
    throw new Error(detail ? `${response.status}: ${detail}` : `${response.status} ${response.statusText}`);
  }
  return data;
}

function askForKey(message) {
  $("key-section").hidden = false;
  $("key-message").textContent = message;
  $("api-key").focus();
}

function busy(text) {
  $("status").setAttribute("aria-busy", text ? "true" : "false");
  $("status-text").textContent = text || "";
  for (const id of ["check-button", "draft-button", "recent-button"]) $(id).disabled = Boolean(text);
}

async function run(task, text) {
  retry = task;
  busy(text);
  try {
    await task();
    retry = null;
    busy("");
  } catch (error) {
    busy("");
    if (!(error instanceof NeedsKey)) $("status-text").textContent = `Could not finish: ${error.message}`;
  }
}

function isoDate(value) {
  return value ? `${value}T00:00:00Z` : null;
}

function checkRequest() {
  const sources = $("sources").value.split(",").map((s) => s.trim()).filter(Boolean);
  const request = {
    claim: $("claim").value.trim(),
    filters: {
      sources,
      published_after: isoDate($("published-after").value),
      published_before: isoDate($("published-before").value),
    },
  };
  const asOf = isoDate($("as-of").value);
  if (asOf) request.as_of = asOf;
  return request;
}

async function article(id) {
  if (!articles.has(id)) articles.set(id, await api(`/v1/articles/${encodeURIComponent(id)}`));
  return articles.get(id);
}

// The paragraph around [start, end) of the article's text, split into the text before the sentence,
// the sentence and the text after it. Offsets count code points, as the API's do. Paragraphs are
// separated by blank lines; in a text of one sentence per line, the lines before and after stand in.
function paragraphAround(text, start, end) {
  const chars = Array.from(text);
  const slice = (a, b) => chars.slice(a, b).join("");
  const lineStart = (i) => {
    while (i > 0 && chars[i - 1] !== "\n") i -= 1;
    return i;
  };
  const lineEnd = (i) => {
    while (i < chars.length && chars[i] !== "\n") i += 1;
    return i;
  };
  let from = lineStart(start);
  let to = lineEnd(end);
  if (/\n[ \t]*\n/.test(text)) {
    while (from > 0 && slice(lineStart(from - 1), from - 1).trim() !== "") from = lineStart(from - 1);
    while (to < chars.length && slice(to + 1, lineEnd(to + 1)).trim() !== "") to = lineEnd(to + 1);
  } else {
    if (from > 0) from = lineStart(from - 1);
    if (to < chars.length) to = lineEnd(to + 1);
  }
  return [slice(from, start), slice(start, end), slice(end, to)];
}

function verdictBadge(verdict) {
  return element("span", verdict, `verdict ${verdict}`);
}

function percent(value) {
  return `${Math.round(value * 100)} %`;
}

async function evidenceItem(evidence, index) {
  const item = element("li");
  item.id = `evidence-${index}`;
  const stored = await article(evidence.article_id);
  const [before, sentence, after] = paragraphAround(stored.text, evidence.start, evidence.end);
  const paragraph = element("p", null, "paragraph");
  paragraph.append(before, element("mark", sentence), after);
  item.append(paragraph);
  const meta = element("p", null, "meta");
  const label = evidence.probabilities
    ? `${evidence.label}: support ${percent(evidence.probabilities.support)}, contradict ${percent(
        evidence.probabilities.contradict,
      )}, neutral ${percent(evidence.probabilities.neutral)}`
    : `${evidence.label} (not scored: not about the claim)`;
  meta.append(label, " · in ");
  const source = [`“${evidence.title || evidence.article_id}”`, evidence.source, evidence.published_at?.slice(0, 10)]
    .filter(Boolean)
    .join(", ");
  if (evidence.url) {
    const link = element("a", source);
    link.href = evidence.url;
    link.rel = "noopener noreferrer";
    meta.append(link);
  } else {
    meta.append(source);
  }
  item.append(meta);
  for (const note of evidence.mismatch || []) item.append(element("p", note, "mismatch"));
  return item;
}

async function showResult(result, history) {
  $("result-claim").textContent = result.claim;
  $("verdict").replaceChildren(verdictBadge(result.verdict));
  $("confidence").textContent = `confidence ${percent(result.confidence)}`;
  $("conflict").textContent = result.conflict ? "· the cited sentences disagree" : "";
  const parts = result.parts || [];
  $("parts-block").hidden = parts.length === 0;
  $("parts").replaceChildren(
    ...parts.map((part) => {
      const item = element("li");
      item.append(verdictBadge(part.verdict), ` ${part.text} (confidence ${percent(part.confidence)})`);
      return item;
    }),
  );
  const items = await Promise.all(result.evidence.map(evidenceItem));
  $("evidence").replaceChildren(...items);
  $("history-block").hidden = !history || history.length === 0;
  $("history").replaceChildren(
    ...(history || []).map((earlier) => {
      const item = element("li");
      item.append(verdictBadge(earlier.result.verdict), ` until ${earlier.at} (${earlier.why})`);
      return item;
    }),
  );
  $("draft-result").hidden = true;
  $("result").hidden = false;
}

async function checkClaim() {
  const result = await api("/v1/checks", checkRequest());
  await showResult(result, null);
  $("result-heading").focus();
}

async function checkDraft() {
  const body = await api("/v1/drafts/check", { text: $("draft").value });
  const s = body.summary;
  $("draft-summary").textContent =
    `${s.checked} sentences checked: ${s.support} supported, ${s.contradict} contradicted, ` +
    `${s.neutral} neutral; ${s.skipped} not check-worthy.`;
  $("draft-sentences").replaceChildren(
    ...body.sentences.map((sentence) => {
      const item = element("li");
      if (!sentence.result) {
        item.append(element("span", `${sentence.text} (not checked: ${sentence.reason})`, "meta"));
        return item;
      }
      const open = element("button", sentence.text, "linklike");
      open.type = "button";
      open.addEventListener("click", () => run(() => showResult(sentence.result, null), "Loading the articles…"));
      item.append(verdictBadge(sentence.result.verdict), " ", open);
      return item;
    }),
  );
  $("result").hidden = true;
  $("draft-result").hidden = false;
}

async function recentChecks() {
  const since = new Date(Date.now() - 7 * 24 * 3600 * 1000).toISOString().slice(0, 19) + "Z";
  // stored checks come oldest first: follow the pages and keep the last twenty
  let kept = [];
  let cursor = null;
  do {
    const query = `created_after=${encodeURIComponent(since)}&limit=100${cursor ? `&cursor=${cursor}` : ""}`;
    const page = await api(`/v1/checks?${query}`);
    kept = kept.concat(page.checks).slice(-20);
    cursor = page.next_cursor;
  } while (cursor);
  const checks = kept.reverse();
  $("recent-list").replaceChildren(
    ...checks.map((check) => {
      const item = element("li");
      const open = element("button", check.claim, "linklike");
      open.type = "button";
      open.addEventListener("click", () => run(() => openCheck(check.id), "Opening the check…"));
      item.append(verdictBadge(check.verdict), " ", open, element("span", ` ${check.created_at}`, "meta"));
      return item;
    }),
  );
  if (checks.length === 0) $("recent-list").replaceChildren(element("li", "No checks in the last week."));
}

async function openCheck(id) {
  const stored = await api(`/v1/checks/${encodeURIComponent(id)}`);
  await showResult(stored.result, stored.history);
}

function selectTab(which) {
  for (const name of ["claim", "draft"]) {
    const selected = name === which;
    $(`tab-${name}`).setAttribute("aria-selected", String(selected));
    $(`tab-${name}`).tabIndex = selected ? 0 : -1;
    $(`${name}-form`).hidden = !selected;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("result-heading").tabIndex = -1;
  $("claim-form").addEventListener("submit", (event) => {
    event.preventDefault();
    run(checkClaim, "Checking the claim…");
  });
  $("draft-form").addEventListener("submit", (event) => {
    event.preventDefault();
    run(checkDraft, "Checking the draft, sentence by sentence…");
  });
  $("recent-button").addEventListener("click", () => run(recentChecks, "Loading recent checks…"));
  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(KEY_STORAGE, $("api-key").value.trim());
    $("api-key").value = "";
    $("key-section").hidden = true;
    articles.clear();
    if (retry) run(retry, "Trying again with the key…");
  });
  $("tab-claim").addEventListener("click", () => selectTab("claim"));
  $("tab-draft").addEventListener("click", () => selectTab("draft"));
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    tab.addEventListener("keydown", (event) => {
      if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
      const next = tab.id === "tab-claim" ? "draft" : "claim";
      selectTab(next);
      $(`tab-${next}`).focus();
    });
  }
});
