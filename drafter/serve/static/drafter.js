// The drafting page: the answers are held here as the answers file would hold them; every change is sent to
// /api/validate, and each problem is shown beside the field whose key it names, in the words of `drafter new`.
"use strict";

// This tab's unfinished work, kept in sessionStorage on every change: a reload (F5, a slip of the hand) or a
// visit to the 检查公文 page and back brings it back instead of the server's fresh start.
const STORED = "drafter.draft";
const served = JSON.parse(document.getElementById("state").textContent);
const kept = stored();
let answers = (kept || served).answers;
let catalogue = (kept || served).catalogue;

function stored() {
  try {
    const state = JSON.parse(sessionStorage.getItem(STORED));
    return state && typeof state.answers === "object" && typeof state.catalogue === "object" ? state : null;
  } catch (e) { return null; }  // storage switched off, or not JSON: start afresh
}

function remember() {
  try { sessionStorage.setItem(STORED, JSON.stringify({answers, catalogue})); }
  catch (e) { /* storage full or switched off: the page works on, only a reload starts afresh */ }
}

// ---- small helpers -------------------------------------------------------------------------------------------

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (v === true) el.setAttribute(k, "");
    else if (v !== false && v != null) el.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c != null) el.append(c instanceof Node ? c : String(c));
  return el;
}

function at(obj, path) {
  return path.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

function put(obj, path, value) {
  const keys = path.split(".");
  let o = obj;
  for (const k of keys.slice(0, -1)) {
    if (o[k] == null || typeof o[k] !== "object") o[k] = {};
    o = o[k];
  }
  o[keys[keys.length - 1]] = value;
}

function copy(value) { return JSON.parse(JSON.stringify(value)); }
function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
function lines(text) { return text.split("\n").map(s => s.trim()).filter(Boolean); }
const NUMERALS = "一二三四五六七八九十";
function chinese(n) {
  if (n <= 10) return NUMERALS[n - 1];
  if (n < 20) return "十" + NUMERALS[n - 11];
  return NUMERALS[Math.floor(n / 10) - 1] + "十" + (n % 10 ? NUMERALS[n % 10 - 1] : "");
}

async function post(url, body, asJson = true) {
  const options = {method: "POST"};
  if (body instanceof FormData) options.body = body;
  else { options.body = JSON.stringify(body); options.headers = {"Content-Type": "application/json"}; }
  const response = await fetch(url, options);
  if (!asJson || !response.ok) return response;
  return response.json();
}

async function failure(response) {
  try { return await response.json(); } catch (e) { return {message: `出错了（${response.status}）`, problems: []}; }
}

// ---- the plain fields ----------------------------------------------------------------------------------------

const fields = () => document.querySelectorAll("#draft input[data-key], #draft select[data-key], #draft textarea[data-key]");

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

// A date input holds only YYYY-MM-DD and shows nothing for any other text: a date kept as written in a loaded file
// (“2025年2月30日”, with the problem about it beside the field) is shown as text, so the clerk sees what is wrong.
function dated(el, text) {
  if (text === "" || ISO_DATE.test(text)) {
    el.type = "date";
    el.value = text;
    if (el.value === text) return;  // else not a day of the calendar (2025-02-30): as text too
  }
  el.type = "text";
  el.value = text;
}

function shown(el) {
  const value = at(answers, el.dataset.key);
  switch (el.dataset.type) {
    case "bool":  // as the answers file reads it: "no" (kept as written while the answers have a problem) is no
      el.checked = value === true || (typeof value === "string" && (catalogue.yes || []).includes(value.trim().toLowerCase()));
      return;
    case "lines": case "optional-lines": el.value = (value || []).join("\n"); return;
    case "date": dated(el, value == null ? "" : String(value)); return;
    case "organs": el.value = (Array.isArray(value) ? value : []).map(c => (typeof c === "object" && c ? c.name : c)).join("\n"); return;
    default: el.value = value == null ? (el.dataset.default || "") : String(value);  // a select's usual choice
  }
}

// a number as typed: anything else (“80mm”, “08”) is sent as text, for the problem beside it to name
const numeric = text => (/^-?\d+(\.\d+)?$/.test(text) && !/^-?0\d/.test(text) ? Number(text) : text);

function read(el) {
  const text = el.value.trim();
  switch (el.dataset.type) {
    case "bool": return el.checked;
    case "lines": return lines(el.value);
    case "optional-lines": { const given = lines(el.value); return given.length ? given : null; }  // null: written for you
    case "organs": {
      const before = answers.co_issuers || [];
      return lines(el.value).map(name => ({...(before.find(c => c.name === name) || {}), name}));
    }
    case "int": return /^\d+$/.test(text) && !/^0\d/.test(text) ? Number(text) : text;
    case "count": return text === "" ? undefined : /^\d+$/.test(text) && !/^0\d/.test(text) ? Number(text) : text;
    case "number": return numeric(text);
    case "optional-number": return text === "" ? null : numeric(text);
    case "optional": return text === "" ? null : text;
    default: return text;
  }
}

function fill() {
  askedIds = null;  // the plugin questions are asked afresh with the new answers
  fields().forEach(shown);
  fields().forEach(el => {  // the sector's example office as hints, never as answers
    const hint = (catalogue.hints || {})[el.dataset.key];
    if (hint && (!el.placeholder || el.dataset.hinted)) { el.placeholder = hint; el.dataset.hinted = "1"; }  // the page's own hint stays
  });
  for (const [box, key, part] of [["no-contact", "contact", "contact-fields"], ["no-deadlines", "deadlines", "deadline-fields"],
                                  ["no-number", "number", "number-field"]]) {
    const none = answers[key] === null;  // left out on purpose; one not yet typed (undefined) is asked for
    document.getElementById(box).checked = none;
    document.getElementById(part).hidden = none;
  }
  renderAll();
}

// Fields that matter only with another answer are shown with it, or while they hold something (a value of theirs
// that is then a problem is seen, and can be emptied, beside the field the problem names).
function dependents() {
  const organs = (answers.co_issuers || []).length > 0;
  document.getElementById("joint-mark-field").hidden = !organs && (answers.joint_mark || "全部") === "全部";
  document.getElementById("reserve-field").hidden = answers.letterhead !== "套打" && answers.letterhead_reserve_mm == null;
  const slogans = (answers.attachments || []).some(e => e === "slogans" || (e && e.use === "slogans"));
  document.getElementById("slogans-field").hidden = !slogans && answers.slogans == null;
}

document.getElementById("draft").addEventListener("input", event => {
  const el = event.target;
  if (!el.dataset || !el.dataset.key || ["issuer.sector", "form", "year"].includes(el.dataset.key)) return;
  put(answers, el.dataset.key, read(el));
  const text = el.value.trim();
  if (el.dataset.type === "date" && el.type === "text" && (text === "" || ISO_DATE.test(text))) dated(el, text);  // a date again
  changed();
});

document.getElementById("draft").addEventListener("change", event => {
  const el = event.target;
  if (el.dataset.null) {  // 不写联系人 / 不写报送截止时间
    const key = el.dataset.null;
    if (el.checked) { el.dataset.kept = JSON.stringify(answers[key] ?? null); answers[key] = null; }
    else {
      const kept = JSON.parse(el.dataset.kept || "null");
      if (kept !== null) answers[key] = kept;
      else if (key === "number") delete answers.number;  // to be typed
      else answers[key] = {};
    }
    fill(); changed(); return;
  }
  if (el.dataset.key === "issuer.sector") { restart({sector: el.value, base: answers}); return; }
  if (el.dataset.key === "year") {  // another year: the dates, the parent and the theme anew, as drafter new --from
    const year = read(el);
    if (typeof year === "number" && year !== answers.year) { restart({base: answers, year}); return; }
    answers.year = year; changed(); return;
  }
  if (el.dataset.key === "letterhead") {  // the red head's height is the pre-printed paper's: nothing without 套打
    answers.letterhead = el.value;
    if (el.value !== "套打") delete answers.letterhead_reserve_mm;
    fill(); changed(); return;
  }
  if (el.dataset.key === "form") {
    const kind = f => (f === "通知" ? "通知" : "方案");
    if (same(answers.outline, catalogue.outlines[kind(answers.form)])) answers.outline = copy(catalogue.outlines[kind(el.value)]);
    answers.form = el.value;
    fill(); changed(); return;
  }
  if (el.dataset.key && (el.type === "checkbox" || el.tagName === "SELECT")) { put(answers, el.dataset.key, read(el)); changed(); }
});

// ---- lists: outline, activities, attachments, parents --------------------------------------------------------

function mover(list, i, render) {
  const move = (to) => () => { list.splice(to, 0, list.splice(i, 1)[0]); render(); changed(); };
  return [
    h("button", {type: "button", class: "up", title: "上移", disabled: i === 0, onclick: move(i - 1)}, "↑"),
    h("button", {type: "button", class: "down", title: "下移", disabled: i === list.length - 1, onclick: move(i + 1)}, "↓"),
    h("button", {type: "button", class: "drop", title: "删去", onclick: () => { list.splice(i, 1); render(); changed(); }}, "✕"),
  ];
}

function sortable(el, list, render) {
  if (el._sortable) el._sortable.destroy();
  el._sortable = Sortable.create(el, {handle: ".handle", animation: 120, forceFallback: true,
    onEnd: e => { if (e.oldIndex !== e.newIndex) { list().splice(e.newIndex, 0, list().splice(e.oldIndex, 1)[0]); render(); changed(); } }});
}

const sectionTitles = () => Object.fromEntries(catalogue.sections.map(s => [s.id, s.title]));

function sectionTitle(entry) {
  if (typeof entry === "string") return sectionTitles()[entry] || entry;
  if (entry.use) return entry.title || sectionTitles()[entry.use] || entry.use;
  return entry.title || "";
}

function retitled(entry, title) {
  if (typeof entry === "object" && !entry.use) return {...entry, title};
  const id = typeof entry === "string" ? entry : entry.use;
  const rest = typeof entry === "object" ? Object.fromEntries(Object.entries(entry).filter(([k]) => k !== "use" && k !== "title")) : {};
  if (title === sectionTitles()[id] && !Object.keys(rest).length) return id;
  return {use: id, title, ...rest};
}

function renderOutline() {
  const el = document.getElementById("outline");
  const outline = answers.outline || [];
  el.replaceChildren();
  let n = 0;
  outline.forEach((entry, i) => {
    const title = sectionTitle(entry);
    const own = typeof entry === "object" && !entry.use;
    const id = typeof entry === "string" ? entry : entry.use;
    const label = title ? `${chinese(++n)}、` : "（无标题的正文）";
    const titleInput = h("input", {class: "section-title", value: title, "aria-label": "标题",
      oninput: e => { outline[i] = retitled(outline[i], e.target.value.trim()); changed(); }});
    const row = h("li", {class: "entry", "data-key": `outline.${i}`, "data-section": id || "own"},
      h("span", {class: "handle", title: "拖动以调整顺序"}, "☰"), h("span", {class: "number"}, label), titleInput,
      own ? "" : h("span", {class: "muted"}, id === "activities" ? "（下面所选的活动）" : "（内置文字）"), ...mover(outline, i, renderOutline));
    if (own) {
      row.append(h("textarea", {class: "section-text", rows: 2, "aria-label": "文字（每段一行）",
        oninput: e => { outline[i] = {...outline[i], paragraphs: lines(e.target.value)}; changed(); }},
        (entry.paragraphs || []).join("\n")));
    }
    el.append(row);
  });
  sortable(el, () => answers.outline, renderOutline);
  // a section in the outline already is not offered again, nor another of the same title (活动时间 built in and a
  // sector's own 活动时间: two sections under one heading)
  const present = new Set(outline.map(e => (typeof e === "string" ? e : e.use)).filter(Boolean));
  const titled = new Set(outline.map(sectionTitle));
  const pick = document.getElementById("outline-add-pick");
  pick.replaceChildren(h("option", {value: ""}, "自己写的一节"),
    ...catalogue.sections.filter(s => !present.has(s.id) && !titled.has(s.title)).map(s => h("option", {value: s.id}, s.title + (s.sector ? `〔${s.sector}〕` : ""))));
  document.getElementById("outline-own").hidden = pick.value !== "";
}

document.getElementById("outline-add-pick").addEventListener("change", e => {
  document.getElementById("outline-own").hidden = e.target.value !== "";
});

document.getElementById("outline-add").addEventListener("click", () => {
  const pick = document.getElementById("outline-add-pick").value;
  const title = document.getElementById("outline-add-title");
  const text = document.getElementById("outline-add-text");
  if (!answers.outline) answers.outline = [];
  if (pick) answers.outline.push(pick);
  else {
    if (!title.value.trim() && !text.value.trim()) { title.focus(); return; }
    answers.outline.push({title: title.value.trim() || null, paragraphs: lines(text.value)});
    title.value = ""; text.value = "";
  }
  renderOutline(); changed();
});

function activityOf(entry) {
  if (typeof entry === "string") return catalogue.activities.find(a => a.id === entry) || {id: entry, title: entry, text: [], sector: "?"};
  return {title: entry.title, text: [...(entry.paragraphs || []), ...(entry.items || []).map((it, k) => `${k + 1}.${it.title}。${it.text || ""}`)], sector: "自写"};
}

function textOf(a) {
  return h("details", {}, h("summary", {}, "全文"), ...a.text.map(p => h("p", {}, p)));
}

function renderActivities() {
  document.getElementById("activity-preview").textContent = catalogue.preview || "";
  const el = document.getElementById("activities");
  el.replaceChildren(...answers.activities.map((entry, i) => {
    const a = activityOf(entry);
    return h("li", {class: "entry", "data-key": `activities.${i}`, "data-activity": typeof entry === "string" ? entry : "own"},
      h("span", {class: "handle", title: "拖动以调整顺序"}, "☰"), h("span", {class: "number"}, `${i + 1}.`),
      h("span", {class: "title"}, a.title), h("span", {class: "muted"}, `〔${a.sector}〕`),
      ...mover(answers.activities, i, renderActivities), textOf(a));
  }));
  sortable(el, () => answers.activities, renderActivities);
  const chosen = new Set(answers.activities.filter(e => typeof e === "string"));
  document.getElementById("activity-catalogue").replaceChildren(...catalogue.activities.filter(a => !chosen.has(a.id)).map(a =>
    h("li", {"data-activity": a.id},
      h("button", {type: "button", class: "add", onclick: () => { answers.activities.push(a.id); renderActivities(); changed(); }}, "加入"),
      h("span", {class: "title"}, a.title), h("span", {class: "muted"}, `〔${a.sector}〕`), textOf(a))));
}

document.getElementById("activity-add").addEventListener("click", () => {
  const title = document.getElementById("activity-add-title"), text = document.getElementById("activity-add-text");
  if (!title.value.trim()) { title.focus(); return; }
  answers.activities.push({title: title.value.trim(), paragraphs: lines(text.value)});
  title.value = ""; text.value = "";
  renderActivities(); changed();
});

const attachmentTitles = () => Object.fromEntries(catalogue.attachments.map(a => [a.id, a.title]));
const KINDS = {table: "表格", list: "列表", form: "表格", document: "附文", file: "文件"};

function attachmentTitle(entry) {
  const id = typeof entry === "string" ? entry : entry.use;
  if (id) return (typeof entry === "object" && entry.title) || attachmentTitles()[id] || id;
  return entry.title || "";
}

// As retitled() for the outline: a built-in or plugin attachment under its own title is {use, title}, under the
// catalogue's title (or none typed) the plain id again, so that saved answers stay as they were.
function attachmentRetitled(entry, title) {
  if (typeof entry === "object" && !entry.use) return {...entry, title};
  const id = typeof entry === "string" ? entry : entry.use;
  const rest = typeof entry === "object" ? Object.fromEntries(Object.entries(entry).filter(([k]) => k !== "use" && k !== "title")) : {};
  const own = title && title !== attachmentTitles()[id];
  if (!own && !Object.keys(rest).length) return id;
  return own ? {use: id, title, ...rest} : {use: id, ...rest};
}

function renderAttachments() {
  const el = document.getElementById("attachments");
  const several = answers.attachments.length + (answers.form === "印发方案" ? 1 : 0) > 1;
  el.replaceChildren(...answers.attachments.map((entry, i) => {
    const own = typeof entry === "object" && !entry.use;
    const titleInput = h("input", {class: "attachment-title", value: attachmentTitle(entry), "aria-label": "附件名称",
      oninput: e => { answers.attachments[i] = attachmentRetitled(answers.attachments[i], e.target.value.trim()); changed(); }});
    return h("li", {class: "entry", "data-key": `attachments.${i}`, "data-attachment": own ? "own" : (entry.use || entry)},
      h("span", {class: "handle", title: "拖动以调整顺序"}, "☰"),
      h("span", {class: "number"}, several ? `附件${i + 1 + (answers.form === "印发方案" ? 1 : 0)}` : "附件"),
      titleInput, own ? h("span", {class: "muted"}, `〔自己的${KINDS[entry.kind] || ""}〕`) : "",
      ...mover(answers.attachments, i, renderAttachments));
  }));
  sortable(el, () => answers.attachments, renderAttachments);
  const chosen = new Set(answers.attachments.map(e => (typeof e === "string" ? e : e.use)).filter(Boolean));
  document.getElementById("attachment-catalogue").replaceChildren(...catalogue.attachments.filter(a => !chosen.has(a.id)).map(a =>
    h("li", {}, h("button", {type: "button", class: "add", onclick: () => { answers.attachments.push(a.id); renderAttachments(); changed(); }}, "加入"),
      h("span", {class: "title"}, a.title), a.sector ? h("span", {class: "muted"}, `〔${a.sector}〕`) : "")));
}

document.getElementById("table-add").addEventListener("click", () => {
  const title = document.getElementById("table-title"), columns = document.getElementById("table-columns");
  const rows = document.getElementById("table-rows"), numbered = document.getElementById("table-numbered");
  if (!title.value.trim()) { title.focus(); return; }
  const count = rows.value.trim();
  answers.attachments.push({kind: "table", title: title.value.trim(),
    columns: columns.value.split(/[、,，]/).map(s => s.trim()).filter(Boolean),
    blank_rows: /^\d+$/.test(count) ? Number(count) : count, numbered: numbered.checked});
  // the form is ready for another table (as the outline's and the activities' forms are)
  title.value = ""; columns.value = ""; rows.value = rows.defaultValue; numbered.checked = numbered.defaultChecked;
  renderAttachments(); changed();
});

function renderParents() {
  const parents = answers.parents || [];
  document.getElementById("outline-follow").hidden = !parents.length || !(catalogue.headings || {})[parents[0].doc_number];
  document.getElementById("parents-chosen").replaceChildren(parents.length
    ? h("ul", {class: "chosen"}, ...parents.map((p, i) => h("li", {"data-doc-number": p.doc_number || ""},
        `《${p.title}》（${p.doc_number || "无文号"}）`,
        h("button", {type: "button", class: "drop", title: "不再引用", onclick: () => { parents.splice(i, 1); renderParents(); changed(); }}, "✕"))))
    : h("p", {class: "muted"}, "不引用上级来文（正文不写“根据……要求”）。"));
}

document.getElementById("parents-none").addEventListener("click", () => { answers.parents = []; renderParents(); changed(); });

document.addEventListener("click", event => {
  const button = event.target.closest(".pick-parent");
  if (!button) return;
  const numbers = (answers.parents || []).map(p => p.doc_number).filter(Boolean);
  if (!numbers.includes(button.dataset.docNumber)) numbers.push(button.dataset.docNumber);
  restart({parents: numbers, base: answers});
});

document.getElementById("parent-read").addEventListener("click", async () => {
  const file = document.getElementById("parent-file").files[0];
  const out = document.getElementById("parent-read-result");
  if (!file) { out.replaceChildren(h("p", {class: "problem"}, "请先选择文件")); return; }
  const form = new FormData();
  form.append("file", file);
  out.replaceChildren(h("p", {class: "muted"}, "正在读取……"));
  const response = await post("/api/parents/read", form, false);
  if (!response.ok) { out.replaceChildren(h("p", {class: "problem"}, (await failure(response)).message)); return; }
  const found = await response.json();
  const input = (key, label, value) => h("label", {}, label, h("input", {"data-parent": key, value: value == null ? "" : value}));
  out.replaceChildren(
    h("p", {class: "muted"}, "请核对读到的内容（没有找到的项是空的，请补上），确认后存入上级来文库并引用："),
    input("issuer", "发文机关", found.issuer), input("co_issuers", "联合发文机关（顿号分隔）", (found.co_issuers || []).join("、")),
    input("doc_number", "发文字号", found.doc_number), input("title", "标题", found.title),
    input("year", "年份", found.year), input("theme", "主题", found.theme),
    input("date", "成文日期", found.date_kind === "成文日期" ? found.date : ""),
    found.headings.length ? h("p", {class: "muted"}, "一级标题：" + found.headings.join("；")) : "",
    ...found.notes.map(n => h("p", {class: "problem"}, "注意：" + n)),
    h("button", {type: "button", id: "parent-save", onclick: () => saveParent(found)}, "确认，存入上级来文库并引用"),
    h("div", {id: "parent-save-result"}));
});

async function saveParent(found, replace = false) {
  const value = key => document.querySelector(`[data-parent="${key}"]`).value.trim();
  const body = {...found, issuer: value("issuer") || null, doc_number: value("doc_number") || null, title: value("title") || null,
    co_issuers: value("co_issuers").split(/[、，,]/).map(s => s.trim()).filter(Boolean), theme: value("theme") || null,
    year: /^\d{4}$/.test(value("year")) ? Number(value("year")) : null, date: value("date") || null, date_kind: value("date") ? "成文日期" : null};
  const response = await post(replace ? "/api/parents?force=true" : "/api/parents", body, false);
  const out = document.getElementById("parent-save-result");
  if (!response.ok) {
    const f = await failure(response);
    // the registry already holds this 文号 (409; a server of before said so with 422, “已有……要替换请加 --force”):
    // the terminal's advice is no use here, the page offers the replacement itself. (“已有文件……存的却不是” is no
    // such case: replacing would not help.)
    const held = response.status === 409 || f.exists || /已有.*要替换/.test(f.message || "");
    out.replaceChildren(h("p", {class: "problem"}, held ? f.message.replace(/[；;，,。]?\s*要替换请加\s*--force[。.]?/, "") : f.message),
      held ? h("button", {type: "button", id: "parent-replace", onclick: () => saveParent(found, true)}, "替换库中的这份") : "");
    return;
  }
  const saved = await response.json();
  out.replaceChildren(h("p", {class: "ok"}, `已存入上级来文库：${saved.doc_number}`));
  const numbers = (answers.parents || []).map(p => p.doc_number).filter(Boolean);
  if (!numbers.includes(saved.doc_number)) numbers.push(saved.doc_number);  // a replaced one is cited once
  restart({parents: numbers, base: answers});
}

document.getElementById("outline-follow").addEventListener("click", async () => {
  const first = (answers.parents || [])[0];
  const note = document.getElementById("outline-note");
  const response = await fetch(`/api/outline?doc_number=${encodeURIComponent(first.doc_number)}`);
  const result = response.ok ? await response.json() : await failure(response);
  if (!response.ok) { note.textContent = result.message; note.className = "problem"; return; }
  answers.outline = result.outline;
  note.textContent = result.note; note.className = "muted";
  renderOutline(); changed();
});

let askedIds = null;
function renderQuestions(questions) {
  const ids = JSON.stringify(questions.map(q => q.id));
  if (ids === askedIds) return;  // the same questions: the fields stay as they are typed
  askedIds = ids;
  document.getElementById("extra-box").hidden = !questions.length;
  document.getElementById("extra-fields").replaceChildren(...questions.map(q => {
    const key = `extra.${q.id}`;
    if (at(answers, key) === undefined && q.value != null) put(answers, key, q.value);
    let input;
    const help = q.help ? h("span", {class: "muted help"}, q.help) : "";
    if (q.kind === "select") input = h("select", {"data-key": key}, h("option", {value: ""}, "（请选择）"), ...q.choices.map(c => h("option", {}, c)));
    else if (q.kind === "confirm") return h("label", {}, h("input", {type: "checkbox", "data-key": key, "data-type": "bool"}), q.prompt, help);
    else input = h("input", {"data-key": key, type: q.kind === "date" ? "date" : "text",
                             "data-type": {number: "number", date: "date"}[q.kind] || "text"});
    return h("label", {}, q.prompt, help, input);
  }));
  document.querySelectorAll("#extra-fields [data-key]").forEach(shown);
}

function renderAll() {
  renderOutline(); renderActivities(); renderAttachments(); renderParents(); renderOthers(); dependents();
}

// ---- answers without a field: listed, so that nothing loaded is printed unseen -------------------------------

// What the list editors show of an entry written out in full (a dict); the rest of it is listed under 其他答案.
const ENTRY_SHOWS = {
  outline: e => (e.use ? ["use", "title"] : ["title", "paragraphs"]),
  activities: () => ["title", "paragraphs", "items"],
  attachments: e => (e.use ? ["use", "title"] : ["kind", "title"]),
};
const SHOWN_WHOLE = ["parents", "extra"];  // parents: title and 文号 are all they hold; extra: the plugins' questions

function blank(value) {
  return value == null || value === "" || (Array.isArray(value) && !value.length)
    || (typeof value === "object" && !Array.isArray(value) && !Object.keys(value).length);
}

// "all": shown by a field or an editor; "part": some of what is below is; "none": nothing on the page shows it.
function coverage(path, keyed) {
  const [top, index, sub] = path, key = path.join(".");
  if (SHOWN_WHOLE.includes(top)) return "all";
  if (ENTRY_SHOWS[top]) {
    if (path.length === 1) return "part";
    const entry = answers[top][index];
    if (path.length === 2) return entry && typeof entry === "object" ? "part" : "all";
    return ENTRY_SHOWS[top](entry).includes(sub) ? "all" : "none";
  }
  const home = keyed.find(f => key === f.key || key.startsWith(f.key + "."));
  if (home && home.type === "organs") {  // the co-issuers' field shows their names only
    if (path.length === 1) return "part";
    if (path.length === 2) return answers[top][index] && typeof answers[top][index] === "object" ? "part" : "all";
    return path.length === 3 && sub === "name" ? "all" : "none";
  }
  if (home) return "all";
  return keyed.some(f => f.key.startsWith(key + ".")) ? "part" : "none";
}

function unshown(value, path, keyed, out) {
  if (blank(value)) return out;
  const c = path.length ? coverage(path, keyed) : "part";
  if (c === "all") return out;
  if (typeof value !== "object" || (c === "none" && Array.isArray(value))) { out.push({path, value}); return out; }
  // a dict is listed key by key (contact.more's lines each), a list shown in part entry by entry
  for (const [k, v] of Object.entries(value)) unshown(v, [...path, Array.isArray(value) ? Number(k) : k], keyed, out);
  return out;
}

function pathLabel(path) {
  const labels = catalogue.labels || served.catalogue.labels || {};
  return path.map(p => (typeof p === "number" ? `第${p + 1}项` : labels[p] ? `${p}（${labels[p]}）` : p)).join(" → ");
}

function brief(value) {
  if (typeof value === "boolean") return value ? "是" : "否";
  if (Array.isArray(value)) return value.map(brief).join("、");
  if (value && typeof value === "object") return Object.entries(value).map(([k, v]) => `${k}：${brief(v)}`).join("；");
  return String(value);
}

function dropAnswer(path) {
  const parent = path.slice(0, -1).reduce((o, k) => o[k], answers), last = path[path.length - 1];
  if (Array.isArray(parent)) parent.splice(last, 1); else delete parent[last];
  renderAll(); changed();
}

function renderOthers() {
  const keyed = [...fields()].map(el => ({key: el.dataset.key, type: el.dataset.type}));
  const found = unshown(answers, [], keyed, []);
  document.getElementById("others-box").hidden = !found.length;
  document.getElementById("others").replaceChildren(...found.map(({path, value}) => {
    const text = brief(value);
    return h("li", {"data-path": path.join(".")}, h("span", {class: "key"}, pathLabel(path)),
      h("span", {class: "value", title: text}, text.length > 120 ? text.slice(0, 120) + "……" : text),
      h("button", {type: "button", class: "drop", title: "删去这一项答案", onclick: () => dropAnswer(path)}, "✕"));
  }));
}

// ---- the server: start again, validate, download, preview ----------------------------------------------------

const BUTTONS = ["download-docx", "download-pdf", "download-yaml", "preview"];
function busy(yes) { BUTTONS.forEach(id => { document.getElementById(id).disabled = yes; }); }

async function restart(body) {
  // the answers are being filled anew (sector, year, parent): nothing is drafted from the old ones meanwhile
  clearTimeout(timer);
  busy(true);
  setStatus("正在按所选重新填写……");
  try {
    const response = await post("/api/start", body, false);
    if (!response.ok) {
      const f = await failure(response);
      fill();  // the fields show the answers as they still are
      show({problems: f.problems, message: f.message});
      setStatus(`未能重新填写：${f.message}`, "problem");
      return;
    }
    const state = await response.json();
    answers = state.answers; catalogue = state.catalogue;
    fill(); changed();
  } finally {
    busy(false);
  }
}

let timer = null, asked = 0;
function changed() {
  remember();
  renderOthers(); dependents();
  recheck();
}

function recheck() {
  clearTimeout(timer);
  setStatus("正在检查答案……");
  timer = setTimeout(validate, 300);
}

async function validate() {
  const n = ++asked;
  const response = await post("/api/validate", answers, false);
  if (n !== asked) return;  // a newer change is being checked
  show(response.ok ? await response.json() : await failure(response));
}

function setStatus(text, kind = "muted") {
  const el = document.getElementById("status");
  el.textContent = text; el.className = kind;
}

function show(result) {
  document.querySelectorAll(".field-problem, .field-warning").forEach(e => e.remove());
  document.querySelectorAll("[aria-invalid]").forEach(e => e.removeAttribute("aria-invalid"));
  document.querySelectorAll(".problems").forEach(e => e.replaceChildren());
  if (result.questions) renderQuestions(result.questions);
  const problems = result.problems || [], warnings = result.warnings || [];
  const keyed = [...document.querySelectorAll("#draft [data-key]")];
  const place = (p, kind) => {
    const home = keyed.filter(el => p.key && (p.key === el.dataset.key || p.key.startsWith(el.dataset.key + ".")))
      .sort((a, b) => b.dataset.key.length - a.dataset.key.length)[0];
    const note = h("div", {class: `field-${kind}`, role: kind === "problem" ? "alert" : "note"}, p.message);
    if (!home) { if (kind === "problem") document.querySelector('.problems[data-for=""]').append(note); return; }
    if (kind === "problem") home.setAttribute("aria-invalid", "true");
    if (["INPUT", "SELECT", "TEXTAREA"].includes(home.tagName)) (home.closest("label") || home).after(note);
    else (home.querySelector(`.problems[data-for="${home.dataset.key}"]`) || home).append(note);
  };
  problems.forEach(p => place(p, "problem"));
  warnings.forEach(w => place(w, "warning"));
  if (!problems.length && result.message) document.querySelector('.problems[data-for=""]').append(h("div", {class: "field-problem"}, result.message));
  document.getElementById("all-problems").replaceChildren(...problems.map(p => h("li", {}, p.message)));
  document.getElementById("warnings").replaceChildren(...warnings.map(w => h("li", {}, "提示：" + w.message)));
  if (result.ok) setStatus(`可以生成：${result.title}${result.doc_number ? "（" + result.doc_number + "）" : ""}`, "ok");
  else setStatus(problems.length ? `有 ${problems.length} 处要改（见各项旁的红字）` : (result.message || "答案有误"), "problem");
}

function fileName(response, fallback) {
  const header = response.headers.get("Content-Disposition") || "";
  const m = header.match(/filename\*=UTF-8''([^;]+)/);
  return m ? decodeURIComponent(m[1]) : fallback;
}

async function download(url, fallback) {
  clearTimeout(timer);
  setStatus("正在生成……");
  const response = await post(url, answers, false);
  if (!response.ok) { show(await failure(response)); return; }
  const blob = await response.blob();
  const link = h("a", {href: URL.createObjectURL(blob), download: fileName(response, fallback)});
  document.body.append(link); link.click(); link.remove();
  setStatus(`已下载 ${link.download}`, "ok");
}

document.getElementById("download-docx").addEventListener("click", () => download("/api/draft?remember=true", "通知.docx"));
document.getElementById("download-pdf").addEventListener("click", () => download("/api/pdf", "通知.pdf"));
document.getElementById("download-yaml").addEventListener("click", () => download("/api/answers", "通知.yaml"));

document.getElementById("preview").addEventListener("click", async () => {
  const box = document.getElementById("preview-box"), status = document.getElementById("preview-status");
  const frame = document.getElementById("preview-frame");
  box.hidden = false; status.textContent = "正在经 LibreOffice 排版……"; frame.hidden = true;
  const response = await post("/api/pdf?preview=true", answers, false);
  if (!response.ok) { const f = await failure(response); status.textContent = f.message; if (response.status === 422) show(f); return; }
  frame.src = (await response.json()).url; frame.hidden = false;
  status.textContent = "以下是 LibreOffice 排出的页面（本机缺公文字体时用替代字体，行数与 Word 可能略有出入）。";
  box.scrollIntoView();
});

document.getElementById("load-button").addEventListener("click", async () => {
  const file = document.getElementById("load-file").files[0];
  if (!file) { setStatus("请先选择答案文件", "problem"); return; }
  const form = new FormData();
  form.append("file", file);
  form.append("carry", document.getElementById("load-carry").checked ? "true" : "false");
  const said = document.getElementById("load-result");
  const response = await post("/api/load", form, false);
  if (!response.ok) {  // said in the card, not beside a field: the page still holds the answers it had
    said.textContent = `未载入 ${file.name}：${(await failure(response)).message}（页面上仍是原来的答案）`;
    said.className = "problem";
    return;
  }
  const state = await response.json();
  answers = state.answers; catalogue = state.catalogue;
  said.textContent = `已载入 ${file.name}` + (form.get("carry") === "true" ? `，按 ${answers.year} 年沿用` : "");
  said.className = "ok";
  fill(); changed();
});

document.getElementById("start-over").addEventListener("click", () => {
  try { sessionStorage.removeItem(STORED); } catch (e) { /* nothing was kept */ }
  location.reload();
});

document.getElementById("restored").hidden = !kept;
fill();
recheck();  // not remembered until something is changed: a reload of an untouched page starts afresh
