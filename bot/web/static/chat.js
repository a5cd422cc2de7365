// faqbot web chat. Every piece of model or corpus text reaches the page as
// a text node (textContent / append(string)): the small Markdown renderer
// below builds <p>, <ul>/<ol>, <li>, <strong> and <a> elements itself and
// never parses answer text as HTML. Links go only to http(s) URLs on the
// hosts the answer's citations use, Microsoft Learn and this server.
"use strict";

(function () {
  const MAX_HISTORY = 10;
  const REASONS = {
    extension_request: "extension request",
    unsupported_outbound: "outbound marketing topic the bot can't help with",
    user_request: "you asked for a person",
  };

  const $ = (id) => document.getElementById(id);
  const form = $("ask");
  const input = $("question");
  const send = $("send");
  const reset = $("reset");
  const log = $("conversation");
  const errorBox = $("error");
  const typing = $("typing");
  const welcome = $("welcome");
  const suggestions = $("suggestions");
  let history = [];
  let config = { suggestions: [], reasons: [], escalation: false, contact: "", feedback: false };

  // clientId tells this browser's feedback apart from others', so that a
  // person's last choice on an answer is the one that counts. It names no
  // one.
  const clientId = (function () {
    try {
      let id = localStorage.getItem("faqbot-client");
      if (!id || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
        const b = new Uint8Array(12);
        crypto.getRandomValues(b);
        id = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
        localStorage.setItem("faqbot-client", id);
      }
      return id;
    } catch (e) {
      return "anonymous";
    }
  })();

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === "text") node.textContent = v;
      else if (k === "class") node.className = v;
      else if (k === "hidden") node.hidden = v;
      else node.setAttribute(k, v);
    }
    node.append(...children); // strings become text nodes
    return node;
  }

  // safeURL returns u when it is an absolute http(s) URL whose host is
  // allowed, else null: no javascript:, data: or relative links, and no
  // links to sites the FAQ does not lead to.
  function safeURL(u, allowed) {
    if (typeof u !== "string") return null;
    try {
      const url = new URL(u);
      if (url.protocol !== "https:" && url.protocol !== "http:") return null;
      if (allowed && !allowed.has(url.host)) return null;
      return url.href;
    } catch (e) {
      return null;
    }
  }

  function allowedHosts(citations) {
    const hosts = new Set(["learn.microsoft.com", location.host]);
    for (const c of citations) {
      for (const u of [c.url, c.snapshot_url]) {
        const href = safeURL(u);
        if (href) hosts.add(new URL(href).host);
      }
    }
    return hosts;
  }

  function link(href, text, props) {
    return el("a", Object.assign({ href: href, target: "_blank", rel: "noopener noreferrer", text: text }, props));
  }

  // citeHref is where [n] leads: faqbot's own copy of the section when the
  // server keeps one (it cannot dead-end), else the original.
  function citeHref(c, allowed) {
    return c ? safeURL(c.snapshot_url, allowed) || safeURL(c.url, allowed) : null;
  }

  // Inline Markdown: **bold**, __bold__, [n] markers, [text](url) links and
  // bare URLs. Everything else is text.
  const TOKENS = /\*\*(?=\S)([^*\n]+?)(?<=\S)\*\*|(?<![\w])__(?=\S)([^_\n]+?)(?<=\S)__(?![\w])|\[(\d{1,3})\]|\[([^\]\n]{1,300})\]\((https?:\/\/[^\s()]+)\)|(https?:\/\/[^\s<>"'()\[\]]+[^\s<>"'()\[\].,;:!?])/g;

  function appendInline(parent, text, ctx) {
    let last = 0;
    for (const m of text.matchAll(TOKENS)) {
      parent.append(text.slice(last, m.index));
      last = m.index + m[0].length;
      if (m[1] !== undefined || m[2] !== undefined) {
        const strong = el("strong");
        appendInline(strong, m[1] !== undefined ? m[1] : m[2], ctx);
        parent.append(strong);
      } else if (m[3] !== undefined) {
        const n = Number(m[3]);
        const c = ctx.citations[n - 1];
        const href = citeHref(c, ctx.allowed);
        parent.append(href
          ? link(href, "[" + n + "]", { class: "cite", "aria-label": "source " + n + ": " + c.title })
          : m[0]);
      } else if (m[5] !== undefined) {
        const href = safeURL(m[5], ctx.allowed);
        parent.append(href ? link(href, m[4]) : m[4]);
      } else {
        const href = safeURL(m[6], ctx.allowed);
        parent.append(href ? link(href, m[6]) : m[6]);
      }
    }
    parent.append(text.slice(last));
  }

  // Block Markdown: paragraphs, "- " and "1. " lists (one level of
  // nesting), "#" headings as bold lines.
  function renderMarkdown(parent, text, ctx) {
    let para = [];
    let list = null;
    let ordered = false;
    let sub = null;
    const flush = () => {
      if (para.length) {
        const p = el("p");
        appendInline(p, para.join("\n"), ctx);
        parent.append(p);
        para = [];
      }
    };
    const endList = () => {
      list = null;
      sub = null;
    };
    for (const raw of String(text || "").replace(/\r\n?/g, "\n").split("\n")) {
      const line = raw.replace(/\s+$/, "");
      if (!line.trim()) {
        flush();
        endList();
        continue;
      }
      let m = /^([ \t]*)([-*+•]|\d{1,3}[.)])[ \t]+(.*)$/.exec(line);
      if (m) {
        flush();
        const isOrdered = /\d/.test(m[2]);
        const li = el("li");
        appendInline(li, m[3], ctx);
        if (m[1].replace(/\t/g, "  ").length >= 2 && list && list.lastElementChild) {
          if (!sub) {
            sub = el(isOrdered ? "ol" : "ul");
            list.lastElementChild.append(sub);
          }
          sub.append(li);
        } else {
          if (!list || ordered !== isOrdered) {
            list = el(isOrdered ? "ol" : "ul");
            ordered = isOrdered;
            parent.append(list);
          }
          sub = null;
          list.append(li);
        }
        continue;
      }
      m = /^#{1,6}[ \t]+(.*?)[ \t#]*$/.exec(line);
      if (m) {
        flush();
        endList();
        const strong = el("strong");
        appendInline(strong, m[1], ctx);
        parent.append(el("p", {}, strong));
        continue;
      }
      if (list && /^[ \t]{2,}\S/.test(raw)) {
        const item = (sub || list).lastElementChild;
        item.append(" ");
        appendInline(item, line.trim(), ctx);
        continue;
      }
      endList();
      para.push(line);
    }
    flush();
  }

  function plainText(a) {
    const lines = [String(a.answer || "")];
    const citations = Array.isArray(a.citations) ? a.citations : [];
    if (citations.length) {
      lines.push("", a.answered ? "Sources:" : "Nearest sections:");
      citations.forEach((c, i) => lines.push((i + 1) + ". " + c.title + " " + (c.snapshot_url || c.url || "")));
    }
    return lines.join("\n");
  }

  function post(path, body) {
    return fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
      .then(async (resp) => {
        let data = null;
        try {
          data = await resp.json();
        } catch (e) {
          throw new Error("The server sent an unreadable reply (status " + resp.status + ").");
        }
        if (!resp.ok) throw new Error((data && data.error) || "The server replied with status " + resp.status + ".");
        return data;
      });
  }

  function statusLine(cls) {
    return el("p", { class: "status " + (cls || ""), role: "status" });
  }

  // feedbackControls are 👍/👎; 👎 then asks what was wrong. Each click is
  // recorded; the last one counts.
  function feedbackControls(a, turn, actions) {
    const status = statusLine();
    const up = el("button", { type: "button", class: "rate", "aria-pressed": "false", text: "👍 Helpful" });
    const down = el("button", { type: "button", class: "rate", "aria-pressed": "false", text: "👎 Not helpful" });
    const record = (kind, extra) => post("/api/feedback", Object.assign({ id: a.id, client: clientId, kind: kind }, extra || {}));
    const choose = async (kind) => {
      up.setAttribute("aria-pressed", String(kind === "helpful"));
      down.setAttribute("aria-pressed", String(kind === "not_helpful"));
      try {
        await record(kind);
        status.className = "status ok";
        status.textContent = kind === "helpful" ? "Thanks for the feedback!" : "Thanks. What was wrong?";
        if (kind === "not_helpful") showReasons();
        else hideReasons();
      } catch (e) {
        status.className = "status failed";
        status.textContent = "Your feedback could not be recorded: " + e.message;
      }
    };
    let reasons = null;
    const hideReasons = () => {
      if (reasons) reasons.remove();
      reasons = null;
    };
    const showReasons = () => {
      if (reasons || !config.reasons.length) return;
      const id = "reason-" + Math.random().toString(36).slice(2);
      const select = el("select", { id: id + "-select" });
      for (const r of config.reasons) select.append(el("option", { value: r.code, text: r.label }));
      const details = el("input", { id: id + "-details", type: "text", maxlength: "500", autocomplete: "off" });
      const sendReason = el("button", { type: "button", text: "Send" });
      reasons = el("div", { class: "form-row reasons" },
        el("label", { for: id + "-select" }, "What was wrong?", select),
        el("label", { for: id + "-details" }, "Anything else? (optional)", details),
        sendReason);
      sendReason.addEventListener("click", async () => {
        sendReason.disabled = true;
        try {
          await record("not_helpful", { reason: select.value, details: details.value });
          status.className = "status ok";
          status.textContent = "Thanks: the team reviews this feedback to improve the answers.";
          hideReasons();
        } catch (e) {
          status.className = "status failed";
          status.textContent = "Your feedback could not be recorded: " + e.message;
          sendReason.disabled = false;
        }
      });
      status.after(reasons);
      select.focus();
    };
    up.addEventListener("click", () => choose("helpful"));
    down.addEventListener("click", () => choose("not_helpful"));
    actions.append(up, down);
    return status;
  }

  // askPersonForm offers to send the question to the support team, and
  // says truthfully what became of it.
  function askPersonForm(a, question, turn, opener) {
    const existing = turn.querySelector(".ask-person");
    if (existing) {
      existing.querySelector("input, button").focus();
      return;
    }
    const box = el("div", { class: "ask-person" });
    const status = statusLine();
    if (!config.escalation) {
      status.textContent = "There is no support channel to send this to from here. Please contact " + config.contact + ".";
      box.append(status);
      turn.append(box);
      return;
    }
    const id = "contact-" + Math.random().toString(36).slice(2);
    const contact = el("input", { id: id, type: "text", maxlength: "200", autocomplete: "email" });
    const go = el("button", { type: "button", text: "Send to the support team" });
    box.append(el("div", { class: "form-row" }, el("label", { for: id }, "Your name or email, so they can reply (optional)", contact), go), status);
    turn.append(box);
    contact.focus();
    go.addEventListener("click", async () => {
      go.disabled = true;
      status.className = "status";
      status.textContent = "Sending…";
      try {
        const r = await post("/api/escalate", { id: a.id || "", question: question, reason: a.escalation_reason || "", contact: contact.value });
        status.className = "status " + (r.delivered ? "ok" : "failed");
        status.textContent = r.message;
        if (r.delivered) {
          contact.disabled = true;
          if (opener) opener.disabled = true;
        } else {
          go.disabled = false;
        }
      } catch (e) {
        status.className = "status failed";
        status.textContent = "Not sent: " + e.message + " Please contact " + config.contact + ".";
        go.disabled = false;
      }
    });
  }

  function renderAnswer(a, question) {
    const citations = Array.isArray(a.citations) ? a.citations : [];
    const ctx = { citations: citations, allowed: allowedHosts(citations) };
    const turn = el("article", { class: "turn bot answer", "aria-label": "faqbot's answer" });
    const body = el("div", { class: "answer-text" });
    renderMarkdown(body, a.answer, ctx);
    turn.append(body);
    if (a.escalate) {
      const why = REASONS[a.escalation_reason] || String(a.escalation_reason || "");
      const what = config.escalation ? " You can send it to the support team." : " Please contact " + config.contact + ".";
      turn.append(el("p", { class: "notice escalation", role: "note",
        text: "This needs a person" + (why ? " (" + why + ")." : ".") + what }));
    }
    if (citations.length > 0) {
      turn.append(el("h3", { text: a.answered ? "Sources" : "Nearest sections (they may not answer your question)" }));
      const list = el("ol", { class: "sources" });
      for (const c of citations) {
        const title = String(c.title || c.anchor || "section");
        const href = citeHref(c, ctx.allowed);
        const item = el("li", {}, href ? link(href, title) : title);
        const original = safeURL(c.url, ctx.allowed);
        if (c.snapshot_url && original && original !== href) {
          item.append(" ", el("span", { class: "original" }, "(", link(original, "original"), ")"));
        }
        list.append(item);
      }
      turn.append(list);
    }
    const actions = el("div", { class: "actions" });
    turn.append(actions);
    let status = null;
    if (config.feedback && a.id) status = feedbackControls(a, turn, actions);
    const copy = el("button", { type: "button", text: "Copy" });
    copy.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(plainText(a));
        copy.textContent = "Copied";
      } catch (e) {
        copy.textContent = "Copy failed";
      }
      setTimeout(() => { copy.textContent = "Copy"; }, 2000);
    });
    const person = el("button", { type: "button", class: "ask-person-button", text: a.escalate ? "Send to a person" : "Ask a person" });
    person.addEventListener("click", () => askPersonForm(a, question, turn, person));
    const mode = a.mode === "llm" ? "AI-generated from the FAQ (a language model wrote it; check the sources)" : "Quoted from the FAQ (extractive, no language model)";
    const dated = config.faq_date ? " dated " + config.faq_date : "";
    const info = el("details", { class: "info" },
      el("summary", { "aria-label": "About this answer", title: "About this answer", text: "i" }),
      el("p", { class: "meta mode", text: mode + dated + (a.corpus_version ? " · corpus version " + a.corpus_version : "") }));
    actions.append(copy, person, info);
    if (status) turn.append(status);
    return turn;
  }

  function showError(msg) {
    errorBox.textContent = msg;
    errorBox.hidden = !msg;
  }

  // ask streams the answer: "delta" events while a model writes (a draft),
  // then the verified "answer".
  async function ask(question, onDelta) {
    const resp = await fetch("/api/ask/stream", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ question: question, history: history.slice(-MAX_HISTORY) }),
    });
    if (!resp.ok || !resp.body) {
      let data = null;
      try {
        data = await resp.json();
      } catch (e) { /* the status says enough */ }
      throw new Error((data && data.error) || "The server replied with status " + resp.status + ".");
    }
    const reader = resp.body.getReader();
    const decoder = new TextDecoder();
    let buf = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      let i;
      while ((i = buf.indexOf("\n\n")) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        let name = "message";
        let data = "";
        for (const line of block.split("\n")) {
          if (line.startsWith("event: ")) name = line.slice(7);
          else if (line.startsWith("data: ")) data += line.slice(6);
        }
        const payload = JSON.parse(data || "{}");
        if (name === "delta") onDelta(String(payload.text || ""));
        else if (name === "answer") return payload;
        else if (name === "error") throw new Error(payload.error || "The server could not answer.");
      }
    }
    throw new Error("The answer was cut off; please try again.");
  }

  async function submit(text) {
    const question = (text !== undefined ? text : input.value).trim();
    if (!question || send.disabled) return;
    showError("");
    send.disabled = true;
    welcome.hidden = true;
    log.setAttribute("aria-busy", "true");
    log.append(el("div", { class: "turn user", "aria-label": "your question", text: question }));
    typing.hidden = false;
    let draft = null;
    try {
      await configured;
      const answer = await ask(question, (delta) => {
        if (!draft) {
          typing.hidden = true;
          draft = el("article", { class: "turn bot draft-turn", "aria-label": "faqbot is writing" }, el("p", { class: "draft" }));
          log.append(draft);
        }
        draft.firstChild.append(delta);
      });
      if (draft) draft.remove();
      const turn = renderAnswer(answer, question);
      log.append(turn);
      turn.scrollIntoView({ block: "start" });
      history.push({ role: "user", text: question }, { role: "bot", text: String(answer.answer || "") });
      history = history.slice(-MAX_HISTORY);
      input.value = "";
    } catch (e) {
      if (draft) draft.remove();
      showError(e.message || String(e));
    } finally {
      typing.hidden = true;
      send.disabled = false;
      log.setAttribute("aria-busy", "false");
      input.focus();
    }
  }

  function showSuggestions() {
    suggestions.replaceChildren();
    for (const s of config.suggestions || []) {
      const b = el("button", { type: "button", class: "suggestion", title: s.question, text: s.title });
      b.addEventListener("click", () => submit(s.question));
      suggestions.append(el("li", {}, b));
    }
    welcome.hidden = log.childElementCount > 0 || suggestions.childElementCount === 0;
  }

  async function loadConfig() {
    try {
      const resp = await fetch("/api/chat");
      if (resp.ok) config = Object.assign(config, await resp.json());
    } catch (e) { /* the chat works without suggestions */ }
    if (config.faq_date) $("faq-date").textContent = " dated " + config.faq_date;
    showSuggestions();
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
    showSuggestions();
    input.focus();
  });
  const configured = loadConfig();
  input.focus();
})();
