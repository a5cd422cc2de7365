// faqbot web chat. Every piece of model or corpus text reaches the page as
// a text node (textContent / append(string)); only [n] citation markers and
// http(s) links become elements, built here, never parsed from the answer.
"use strict";

(function () {
  const MAX_HISTORY = 10;
  const REASONS = {
    extension_request: "extension request",
    unsupported_outbound: "unsupported outbound marketing topic",
    user_request: "you asked for a person",
  };

  const form = document.getElementById("ask");
  const input = document.getElementById("question");
  const send = document.getElementById("send");
  const reset = document.getElementById("reset");
  const log = document.getElementById("conversation");
  const errorBox = document.getElementById("error");
  let history = [];

  // safeURL returns u when it is an absolute http(s) URL, else null: no
  // javascript:, data: or relative links from an answer.
  function safeURL(u) {
    if (typeof u !== "string") return null;
    try {
      const url = new URL(u);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === "text") node.textContent = v;
      else if (k === "class") node.className = v;
      else node.setAttribute(k, v);
    }
    node.append(...children); // strings become text nodes
    return node;
  }

  function link(href, text, props) {
    return el("a", Object.assign({ href: href, target: "_blank", rel: "noopener noreferrer", text: text }, props));
  }

  // [n] markers, Markdown links to http(s) URLs, and bare http(s) URLs.
  const TOKENS = /\[(\d{1,3})\]|\[([^\]\n]{1,300})\]\((https?:\/\/[^\s()]+)\)|(https?:\/\/[^\s<>"'()\[\]]+[^\s<>"'()\[\].,;:!?])/g;

  function appendInline(parent, text, citations) {
    let last = 0;
    for (const m of text.matchAll(TOKENS)) {
      parent.append(text.slice(last, m.index));
      last = m.index + m[0].length;
      if (m[1] !== undefined) {
        const n = Number(m[1]);
        const c = citations[n - 1];
        const href = c && safeURL(c.url);
        parent.append(href
          ? link(href, "[" + n + "]", { class: "cite", "aria-label": "source " + n + ": " + c.title })
          : m[0]);
      } else if (m[3] !== undefined) {
        const href = safeURL(m[3]);
        parent.append(href ? link(href, m[2]) : m[0]);
      } else {
        const href = safeURL(m[4]);
        parent.append(href ? link(href, m[4]) : m[0]);
      }
    }
    parent.append(text.slice(last));
  }

  function renderAnswer(a) {
    const citations = Array.isArray(a.citations) ? a.citations : [];
    const turn = el("article", { class: "turn bot answer", "aria-label": "faqbot's answer" });
    const body = el("div", { class: "answer-text" });
    for (const para of String(a.answer || "").split(/\n{2,}/)) {
      const p = el("p");
      appendInline(p, para, citations);
      body.append(p);
    }
    turn.append(body);
    if (a.escalate) {
      const why = REASONS[a.escalation_reason] || String(a.escalation_reason || "");
      turn.append(el("p", { class: "notice escalation", role: "note",
        text: "Escalation: a person needs to handle this" + (why ? " (" + why + ")." : ".") }));
    }
    if (citations.length > 0) {
      turn.append(el("h2", { text: a.answered ? "Sources" : "Nearest sections (they may not answer your question)" }));
      const list = el("ol", { class: "sources" });
      for (const c of citations) {
        const href = safeURL(c.url);
        const title = String(c.title || c.anchor || "section");
        const item = el("li", {}, href ? link(href, title) : title);
        if (c.document) item.append(" ", el("span", { class: "doc", text: "(" + c.document + ")" }));
        list.append(item);
      }
      turn.append(list);
    }
    const mode = a.mode === "llm" ? "written by a language model from the FAQ" : "extractive: quoted from the FAQ, no language model";
    turn.append(el("p", { class: "meta mode", text: "Mode: " + mode + (a.corpus_version ? " · corpus " + a.corpus_version : "") }));
    return turn;
  }

  function showError(msg) {
    errorBox.textContent = msg;
    errorBox.hidden = !msg;
  }

  async function ask(question) {
    const resp = await fetch("/api/ask", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ question: question, history: history.slice(-MAX_HISTORY) }),
    });
    let data = null;
    try {
      data = await resp.json();
    } catch (e) {
      throw new Error("The server sent an unreadable reply (status " + resp.status + ").");
    }
    if (!resp.ok) throw new Error((data && data.error) || "The server replied with status " + resp.status + ".");
    return data;
  }

  async function submit() {
    const question = input.value.trim();
    if (!question || send.disabled) return;
    showError("");
    send.disabled = true;
    log.setAttribute("aria-busy", "true");
    log.append(el("div", { class: "turn user", "aria-label": "your question", text: question }));
    try {
      const answer = await ask(question);
      log.append(renderAnswer(answer));
      history.push({ role: "user", text: question }, { role: "bot", text: String(answer.answer || "") });
      history = history.slice(-MAX_HISTORY);
      input.value = "";
    } catch (e) {
      showError(e.message || String(e));
    } finally {
      send.disabled = false;
      log.setAttribute("aria-busy", "false");
      input.focus();
    }
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    submit();
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  });
  reset.addEventListener("click", () => {
    history = [];
    log.replaceChildren();
    showError("");
    input.focus();
  });
  input.focus();
})();
