// 售后工作台: queue, case page and reports over the agent API. Plain ES module, no build step.
const TOKEN_KEY = "shouhou.token";
const STATUS = { new: "新建", open: "处理中", waiting_customer: "等待客户", waiting_logistics: "等待物流",
  waiting_platform: "等待平台", resolved: "已解决", closed: "已关闭" };
const ISSUE = { shipping: "物流", damaged: "破损", lost: "丢件", wrong_item: "错发", missing_item: "少发",
  quality: "质量", not_as_described: "描述不符", changed_mind: "无理由", price: "价格", invoice: "发票",
  service: "服务", inquiry: "咨询", other: "其他" };
const CHANNEL = { wechat: "微信", wecom: "企业微信", wecom_kf: "微信客服", douyin: "抖音", doudian: "抖店", sms: "短信", webhook: "Webhook" };
const CLOCK = { first_response: "首次响应", next_response: "再次响应", resolution: "解决", return_review: "退货审核" };
const $ = (sel, root = document) => root.querySelector(sel);
let ticker = null;

function h(tag, attrs = {}, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids.flat()) if (kid !== null && kid !== undefined && kid !== false) el.append(kid instanceof Node ? kid : String(kid));
  return el;
}

const token = () => sessionStorage.getItem(TOKEN_KEY);
const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`);

async function api(path, { method = "GET", body, key } = {}) {
  const headers = { Authorization: `Bearer ${token()}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (key) headers["Idempotency-Key"] = key;
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (r.status === 401) { logout(); throw new Error("令牌无效，请重新登录"); }
  const ctype = r.headers.get("content-type") || "";
  const data = ctype.includes("json") ? await r.json() : await r.text();
  if (!r.ok) throw new Error(`${r.status} ${data.error || ""} ${data.detail || ""}`.trim());
  return data;
}

function toast(text) {
  const t = $("#toast");
  t.textContent = text; t.hidden = false;
  clearTimeout(toast.timer); toast.timer = setTimeout(() => { t.hidden = true; }, 3000);
}

// -- SLA clocks ---------------------------------------------------------------------------
function openClocks(c) {
  return Object.entries(c.sla || {}).filter(([, s]) => s && s.due && !s.met_at && !s.stopped)
    .map(([name, s]) => ({ name, due: new Date(s.due), breached: !!s.breached_at }));
}
function nextDue(c) {
  const clocks = openClocks(c).sort((a, b) => a.due - b.due);
  return clocks[0] || null;
}
function fmtLeft(ms) {
  const neg = ms < 0, s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400), hh = Math.floor((s % 86400) / 3600), mm = Math.floor((s % 3600) / 60), ss = s % 60;
  const txt = d ? `${d}天${hh}时` : hh ? `${hh}时${mm}分` : `${mm}分${String(ss).padStart(2, "0")}秒`;
  return neg ? `已超时 ${txt}` : `剩余 ${txt}`;
}
function countdown(due, breached) {
  return h("span", { class: "countdown", "data-due": due ? due.toISOString() : null, "data-breached": breached ? "1" : null },
    due ? fmtLeft(due - Date.now()) : "—");
}
function tick() {
  for (const el of document.querySelectorAll(".countdown[data-due]")) {
    const left = new Date(el.dataset.due) - Date.now();
    el.textContent = fmtLeft(left);
    el.classList.toggle("soon", left >= 0 && left < 15 * 60 * 1000);
    const row = el.closest("tr, .clock");
    if (row) row.classList.toggle("breached", left < 0 || el.dataset.breached === "1");
  }
}
const fmtTime = (iso) => (iso ? new Date(iso).toLocaleString("zh-CN", { hour12: false }) : "—");

// -- views --------------------------------------------------------------------------------
function setView(name, ...kids) {
  const v = $("#view");
  v.replaceChildren(...kids); v.hidden = false; $("#login").hidden = true; $("#nav").hidden = false;
  for (const a of document.querySelectorAll("[data-nav]")) a.classList.toggle("active", a.dataset.nav === name);
}

const FILTERS = [
  ["status", "状态", STATUS], ["priority", "优先级", { p1: "P1", p2: "P2", p3: "P3" }], ["issue", "问题", ISSUE],
  ["channel", "渠道", CHANNEL], ["escalated", "升级", { true: "已升级", false: "未升级" }],
];

async function showQueue(params = new URLSearchParams(location.hash.split("?")[1] || "")) {
  const form = h("form", { class: "filters card", id: "filters" },
    FILTERS.map(([name, label, opts]) => h("label", {}, label, h("select", { name },
      h("option", { value: "" }, "全部"), Object.entries(opts).map(([v, t]) => h("option", { value: v, selected: params.get(name) === v }, t))))),
    h("label", {}, "处理人", h("input", { name: "assignee", value: params.get("assignee") || "", size: 10 })),
    h("button", { type: "submit" }, "筛选"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const q = new URLSearchParams([...new FormData(form)].filter(([, v]) => v));
    location.hash = `#/queue?${q}`;
  });
  const body = h("tbody", {});
  const table = h("table", { id: "queue" }, h("thead", {}, h("tr", {},
    ["SLA 倒计时", "优先级", "状态", "问题", "渠道", "客户", "处理人", "创建时间"].map((t) => h("th", {}, t)))), body);
  setView("queue", form, h("div", { class: "card" }, table));
  const q = new URLSearchParams(params); q.set("order", "urgent"); q.set("limit", "100");
  const data = await api(`/api/cases?${q}`);
  const rows = data.cases.filter((c) => params.get("status") || !["resolved", "closed"].includes(c.status));
  if (!rows.length) body.append(h("tr", {}, h("td", { colspan: 8, class: "muted" }, "没有符合条件的工单")));
  for (const c of rows) body.append(queueRow(c));
  tick();
}

function queueRow(c) {
  const next = nextDue(c);
  const breached = next && (next.breached || next.due < Date.now());
  return h("tr", { class: `case-row${breached ? " breached" : ""}`, "data-case-id": c.case_id,
    onclick: () => { location.hash = `#/case/${c.case_id}`; } },
    h("td", {}, countdown(next && next.due, next && next.breached), next ? h("div", { class: "muted" }, CLOCK[next.name] || next.name) : ""),
    h("td", {}, h("span", { class: `tag ${c.priority}` }, c.priority.toUpperCase()), c.escalated ? h("span", { class: "tag esc" }, `升级 T${c.escalation_tier}`) : ""),
    h("td", {}, STATUS[c.status] || c.status),
    h("td", {}, ISSUE[c.issue] || c.issue || "—", h("div", { class: "muted" }, (c.keywords || []).slice(0, 3).join(" "))),
    h("td", {}, CHANNEL[c.channel] || c.channel),
    h("td", {}, c.customer.user),
    h("td", {}, c.assignee || "—"),
    h("td", {}, fmtTime(c.created_at)));
}

async function showCase(id) {
  const [detail, trace] = await Promise.all([api(`/api/cases/${encodeURIComponent(id)}`), api(`/api/cases/${encodeURIComponent(id)}/trace`)]);
  const c = detail.case;
  const write = async (action, body, okText) => {
    try { await api(`/api/cases/${encodeURIComponent(id)}/${action}`, { method: "POST", body, key: newKey() }); toast(okText); await showCase(id); }
    catch (err) { toast(`操作失败：${err.message}`); }
  };
  setView("case",
    h("div", { class: "card", id: "case-head" },
      h("a", { href: "#/queue" }, "← 返回队列"),
      h("h2", {}, `工单 ${c.case_id} `, h("span", { class: "tag", id: "case-status" }, STATUS[c.status] || c.status),
        h("span", { class: `tag ${c.priority}` }, c.priority.toUpperCase()), c.escalated ? h("span", { class: "tag esc" }, `已升级 T${c.escalation_tier}`) : ""),
      labels(c)),
    h("div", { class: "grid" },
      h("div", {},
        h("div", { class: "card" }, h("h3", {}, "对话"), thread(detail.messages), replyBox(write)),
        h("div", { class: "card" }, h("h3", {}, "时间线"), timeline(detail.timeline))),
      h("div", {},
        h("div", { class: "card" }, h("h3", {}, "SLA 时钟"), clocks(c)),
        h("div", { class: "card" }, h("h3", {}, "快捷操作"), quickActions(c, write)),
        h("div", { class: "card" }, h("h3", {}, "退货"), returnBox(c, write)),
        h("div", { class: "card" }, h("h3", {}, "订单与物流"), traceView(trace)))));
  tick();
}

function labels(c) {
  const ent = Object.entries(c.entities || {}).map(([k, v]) => h("span", { class: "tag" }, `${k}: ${v}`));
  return h("div", { class: "kv", id: "labels" },
    "问题", h("span", {}, ISSUE[c.issue] || c.issue || "—", c.request ? ` / ${c.request}` : ""),
    "情绪", h("span", {}, c.sentiment || "—", c.sentiment_score !== null && c.sentiment_score !== undefined ? ` (${c.sentiment_score.toFixed(2)})` : ""),
    "责任/场景", h("span", {}, `${c.responsibility || "—"} / ${c.scenario || "—"}`),
    "关键词", h("span", {}, (c.keywords || []).map((k) => h("span", { class: "tag" }, k))),
    "实体", h("span", {}, ent.length ? ent : "—"),
    "渠道", h("span", {}, `${CHANNEL[c.channel] || c.channel} · ${c.customer.user}`),
    "处理人", h("span", {}, c.assignee || "未指派"));
}

function thread(messages) {
  const list = [...messages].sort((a, b) => new Date(a.at) - new Date(b.at));
  return h("div", { class: "thread", id: "thread" }, list.length ? list.map((m) => h("div", { class: `msg ${m.direction}` }, m.text || `[${m.kind}]`,
    h("div", { class: "meta" }, `${m.direction === "in" ? "客户" : m.author} · ${fmtTime(m.at)}${m.delivery ? ` · ${m.delivery}` : ""}`))) : h("p", { class: "muted" }, "暂无消息"));
}

function replyBox(write) {
  const text = h("textarea", { id: "reply-text", placeholder: "回复客户（通过其来源渠道发送）" });
  const send = h("button", { id: "reply-send", type: "button", onclick: async () => {
    if (!text.value.trim()) return;
    send.disabled = true; await write("reply", { text: text.value }, "回复已发送"); send.disabled = false;
  } }, "发送回复");
  const note = h("textarea", { id: "note-text", placeholder: "内部备注（客户不可见）" });
  return h("div", {}, text, h("div", { class: "actions" }, send),
    note, h("div", { class: "actions" }, h("button", { class: "secondary", type: "button", id: "note-add",
      onclick: () => note.value.trim() && write("note", { text: note.value }, "备注已添加") }, "添加备注")));
}

function timeline(events) {
  return h("ul", { class: "timeline", id: "timeline" }, [...events].reverse().map((e) => h("li",
    { class: e.type.startsWith("decision.") ? "decision" : "" }, h("b", {}, e.type), ` · ${e.actor} · ${fmtTime(e.at)}`,
    e.reason ? h("div", { class: "muted" }, e.reason) : "", e.type === "note" ? h("div", {}, `📝 ${e.data.text}`) : "")));
}

function clocks(c) {
  const rows = Object.entries(c.sla || {}).filter(([, s]) => s && typeof s === "object");
  if (!rows.length) return h("p", { class: "muted" }, "无 SLA 时钟");
  return h("div", { id: "clocks" }, rows.map(([name, s]) => {
    const running = s.due && !s.met_at && !s.stopped;
    const state = s.met_at ? `已达成 ${fmtTime(s.met_at)}` : s.stopped ? "已停止" : s.paused_at ? "已暂停" : "";
    return h("div", { class: `clock${s.breached_at ? " breached" : ""}` }, h("b", {}, CLOCK[name] || name), ` (${s.policy}) `,
      running ? countdown(new Date(s.due), !!s.breached_at) : h("span", { class: "muted" }, state));
  }));
}

function quickActions(c, write) {
  const btn = (label, action, body, id, cls = "secondary") => h("button", { type: "button", class: cls, id, onclick: () => write(action, body, `${label}：完成`) }, label);
  const prio = h("select", { id: "priority-select" }, ["p1", "p2", "p3"].map((p) => h("option", { value: p, selected: c.priority === p }, p.toUpperCase())));
  return h("div", {},
    h("div", { class: "actions" },
      btn("指派给我", "assign", { assignee: "@me" }, "assign-me"),
      btn("等待客户", "status", { status: "waiting_customer" }, "wait-customer"),
      btn("等待物流", "status", { status: "waiting_logistics" }, "wait-logistics"),
      c.status === "resolved" ? btn("重新打开", "status", { status: "open" }, "reopen") : btn("解决", "resolve", {}, "resolve", "")),
    h("div", { class: "actions" }, "优先级 ", prio, h("button", { type: "button", class: "secondary", id: "priority-set",
      onclick: () => write("priority", { priority: prio.value }, "优先级已更新") }, "更新")));
}

function returnBox(c, write) {
  const state = c.flags && c.flags.return;
  const reason = h("input", { id: "return-reason", placeholder: "原因（拒绝必填）", size: 18 });
  const go = (decision, label) => h("button", { type: "button", class: decision === "reject" ? "danger" : "secondary", id: `return-${decision}`,
    onclick: () => write("returns/decision", { decision, reason: reason.value }, label) }, label);
  return h("div", {}, h("p", { id: "return-state" }, state ? `当前：${state.state}（${state.by}）${state.reason ? ` · ${state.reason}` : ""}` : "尚无人工决定"),
    reason, h("div", { class: "actions" }, go("approve", "同意退货"), go("reject", "拒绝"), go("request_info", "要求补充资料")));
}

function traceView(trace) {
  const o = trace.order;
  const order = o ? h("div", {}, h("p", {}, `订单 ${o.order_no} · ¥${o.amount ?? "—"} · 付款 ${fmtTime(o.paid_at)}`),
    h("ul", {}, o.items.map((i) => h("li", {}, `${i.name || i.sku} (${i.sku}) × ${i.qty}`)))) : h("p", { class: "muted" }, "未关联订单");
  const ships = trace.shipments.map((s) => h("div", {}, h("p", {}, h("b", {}, `${s.carrier} ${s.tracking_no}`), ` · ${s.status}`),
    h("ul", {}, [...s.events].sort((a, b) => new Date(b.time) - new Date(a.time)).slice(0, 6).map((n) => h("li", {}, `${fmtTime(n.time)} ${n.place} ${n.text}`)))));
  return h("div", { id: "trace" }, order, ships.length ? ships : h("p", { class: "muted" }, "暂无物流信息"));
}

// -- reports ------------------------------------------------------------------------------
async function showReports() {
  const [hot, ov, digest] = await Promise.all([api("/api/reports/hot-issues"), api("/api/reports/overview"), api("/api/reports/digest")]);
  const s = ov.service;
  const pct = (x) => (x === null || x === undefined ? "—" : `${(x * 100).toFixed(0)}%`);
  const dur = (x) => (x === null || x === undefined ? "—" : x >= 3600 ? `${(x / 3600).toFixed(1)}小时` : `${Math.round(x / 60)}分钟`);
  const stat = (label, value) => h("div", { class: "stat" }, h("b", {}, value), label);
  const csv = h("button", { type: "button", class: "secondary", id: "csv", onclick: async () => {
    const text = await api(`/api/reports/cases.csv?from=${ov.from}&to=${ov.to}`);
    const a = h("a", { href: URL.createObjectURL(new Blob([text], { type: "text/csv" })), download: `cases-${ov.from}-${ov.to}.csv` });
    a.click();
  } }, "导出 CSV");
  setView("reports",
    h("div", { class: "card", id: "spikes" }, h("h3", {}, `热点激增（${hot.from} ~ ${hot.to}）`),
      hot.spikes.length ? hot.spikes.slice(0, 10).map((sp) => h("div", { class: "spike" }, h("b", {}, `${sp.day} ${sp.label}`),
        ` ${sp.count} 单 / 基线 ${sp.baseline}/天`, (sp.examples || []).map((e) => h("div", { class: "muted" }, `“${e.text}”`)))) : h("p", { class: "muted" }, "无激增")),
    h("div", { class: "card" }, h("h3", {}, "服务指标"), h("div", { class: "stats", id: "service" },
      stat("新增工单", s.opened), stat("已解决", s.resolved), stat("首响 P50", dur(s.first_response_s.p50)), stat("首响 P90", dur(s.first_response_s.p90)),
      stat("解决 P50", dur(s.resolution_s.p50)), stat("自动化率", pct(s.automation_rate)), stat("满意度", s.csat.average ?? "—"), stat("重开率", pct(s.reopen_rate)))),
    h("div", { class: "grid" },
      h("div", { class: "card" }, h("h3", {}, "问题 × 商品（本期）"), h("table", {}, h("tbody", {},
        (hot.periods.length ? mergeTop(hot.periods) : []).map((r) => h("tr", {}, h("td", {}, ISSUE[r.issue] || r.issue), h("td", {}, r.product || r.sku || "—"), h("td", {}, r.count)))))),
      h("div", { class: "card" }, h("h3", {}, "SLA 达成"), h("table", { id: "sla" }, h("tbody", {},
        s.sla.map((r) => h("tr", {}, h("td", {}, CLOCK[r.clock] || r.clock), h("td", {}, r.policy), h("td", {}, pct(r.compliance)))))))),
    h("div", { class: "card" }, h("h3", {}, "承运商"), h("table", { id: "carriers" }, h("thead", {}, h("tr", {}, ["承运商", "工单", "异常占比", "破损占比", "包裹异常率"].map((t) => h("th", {}, t)))),
      h("tbody", {}, ov.carriers.map((r) => h("tr", {}, h("td", {}, r.carrier), h("td", {}, r.cases), h("td", {}, pct(r.exception_share)), h("td", {}, pct(r.damage_share)), h("td", {}, pct(r.parcel_exception_rate))))))),
    h("div", { class: "card" }, h("h3", {}, "周报"), h("pre", { id: "digest" }, digest.text), csv));
}

function mergeTop(periods) {
  const acc = new Map();
  for (const p of periods) for (const r of p.issue_sku) {
    const k = `${r.issue}|${r.sku}`; const cur = acc.get(k) || { ...r, count: 0 }; cur.count += r.count; acc.set(k, cur);
  }
  return [...acc.values()].sort((a, b) => b.count - a.count).slice(0, 10);
}

// -- routing ------------------------------------------------------------------------------
function logout() {
  sessionStorage.removeItem(TOKEN_KEY); $("#view").hidden = true; $("#login").hidden = false; $("#nav").hidden = true;
}

async function route() {
  if (!token()) { logout(); return; }
  const [path] = location.hash.replace(/^#/, "").split("?");
  try {
    if (path.startsWith("/case/")) await showCase(decodeURIComponent(path.slice(6)));
    else if (path === "/reports") await showReports();
    else await showQueue();
  } catch (err) { toast(err.message); }
}

$("#login-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $("#token").value.trim());
  try { await api("/api/cases?limit=1"); $("#login-error").textContent = ""; location.hash = "#/queue"; await route(); }
  catch (err) { sessionStorage.removeItem(TOKEN_KEY); $("#login-error").textContent = "登录失败：令牌无效"; }
});
$("#logout").addEventListener("click", () => { logout(); location.hash = ""; });
window.addEventListener("hashchange", route);
ticker = setInterval(tick, 1000);
route();
