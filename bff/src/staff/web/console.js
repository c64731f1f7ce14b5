// @ts-check
/* The staff console (C15): plain DOM, no framework, no build step. Talks to /staff/api with the
 * HttpOnly session cookie; the CSRF token from sign-in is kept in memory only (never storage). */
'use strict';

/** the order-state labels: filled in when the BFF serves this file, from their one source (shared/src/order-state.ts) */
/** @type {Record<string, string>} */
const STATES = /*@STAFF_ORDER_STATE_LABEL@*/ {};
/** @type {Record<string, string>} */
const WORDS = {
  wechat: '微信', alipay: '支付宝', kiosk: '自助机', cashier: '医保收银台', centre: '医保中心', national: '医保中心', his: 'HIS', registration: '挂号', outpatient: '门诊缴费',
  insurance: '医保部分', self_pay: '自费部分', patient: '患者', system: '系统',
  channel: '支付渠道', staff: '工作人员', reversal: '冲正', booking_query: '查询HIS入账', his_reversal: 'HIS冲正', insurance_refund: '医保退费(6203)',
  cash_refund: '自费退款', done: '完成', rejected: '被拒绝', unclear: '结果不明', skipped: '跳过', ok: '成功', timeout: '超时', not_delivered: '未送达',
  broken: '连接中断', http_status: 'HTTP错误', ...STATES,
  // the call log's operations (bff tracked(…) names)
  '6201': '上传费用明细 (6201)', '6202': '医保支付下单 (6202)', '6203': '医保退费 (6203)', '6301': '查询医保结算结果 (6301)', '6401': '撤销医保订单 (6401)',
  createPayment: '创建支付订单', queryPayment: '查询支付结果', refundCash: '自费部分退款', release: '释放号源或单据', reverseInsurance: 'HIS冲正',
  writeBack: 'HIS入账回写', queryBooking: '查询HIS入账', notifyInsuranceRefund: '医保退款通知', closePayment: '关闭支付订单', cancelRegistration: 'HIS退号',
};
/** payment parts and refunds have their own states, some spelled like order states */
/** @type {Record<string, string>} */
const PAY_STATUS = { pending: '未完成', paid: '已支付', not_needed: '无需支付' };
/** @type {Record<string, string>} */
const REFUND_STATE = { requested: '已受理', insurance_refunded: '医保已退', succeeded: '成功', awaiting_confirmation: '确认中', failed: '失败', manual_review: '待人工核对' };

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
/** @param {string} id */
const input = (id) => /** @type {HTMLInputElement} */ (document.getElementById(id));
/** @param {unknown} v */
const word = (v) => (v === undefined || v === null ? '' : WORDS[String(v)] ?? String(v));
/** the order's kind, marked 自费 when it was paid through the channel alone */
const kindWord = (/** @type {{ kind: string, payMode?: string }} */ o) => word(o.kind) + (o.payMode === 'self' ? '（自费）' : '');
/** @param {number} fen */
const yuan = (fen) => `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
/** @param {string | undefined} iso Beijing time, whatever the office PC's zone */
const time = (iso) => (iso ? new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ') : '');
const today = () => time(new Date().toISOString()).slice(0, 10);

/** @typedef {{ totalFen: number, fundFen: number, acctFen: number, cashFen: number }} Amounts */
/** @typedef {{ reason: string, openedAt: string, fromState: string, resolvedAt?: string, resolvedBy?: string, resolution?: string, note?: string }} Review */
/** @typedef {{ orderNo: string, kind: string, channel: string, state: string, title: string, createdAt: string, paidAt?: string,
 *   patient: { nameMasked: string, idNoMasked: string }, amounts: Amounts, refundedFen: number, payMode?: string }} Row */
/** @typedef {{ part: string, via: string, amountFen: number, reference: string, tradeNo?: string, status: string, at?: string }} Payment */
/** @typedef {{ refundNo: string, requestedBy: string, state: string, amounts: Amounts, reason?: string, lastError?: string, createdAt: string }} Refund */
/** @typedef {{ step: string, at: string, outcome: string, detail: string }} Step */
/** @typedef {{ at: string, from: string, to: string, event: string, reason?: string, by: string }} Entry */
/** @typedef {{ at: string, peer: string, op: string, ms: number, outcome: string, requestId?: string, detail?: string }} Call */
/** @typedef {Row & { version: number, hisPatientId: string, regionCode: string, regionName?: string, detail: { department?: string, doctor?: string },
 *   payments: Payment[], refunds: Refund[], reversal: { startedAt: string, reason: string, steps: Step[] } | null,
 *   review: Review | null, reviewTargets: string[], timeline: Entry[], calls: Call[] }} Detail */

const state = { csrf: '', roles: /** @type {string[]} */ ([]), page: 1, pageSize: 20, total: 0, current: /** @type {Detail | null} */ (null) };

/**
 * @param {string} method @param {string} path @param {unknown} [body]
 * @returns {Promise<Response>}
 */
function send(method, path, body) {
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = state.csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
}

/** @param {string} method @param {string} path @param {unknown} [body] */
async function api(method, path, body) {
  const res = await send(method, path, body);
  const data = await res.json().catch(() => ({}));
  if (res.status === 401 && path !== '/staff/api/session') showLogin('登录已过期，请重新登录');
  if (!res.ok) {
    const e = data.error ?? {};
    const detail = Array.isArray(e.details) ? e.details.map((/** @type {{message: string}} */ d) => d.message).join('；') : '';
    throw new Error(detail ? `${e.message ?? '请求失败'}：${detail}` : e.message ?? `请求失败 (${res.status})`);
  }
  return data;
}

/** @param {string} tag @param {string | number} [text] @param {string} [cls] */
function el(tag, text, cls) {
  const n = document.createElement(tag);
  if (text !== undefined) n.textContent = String(text); // textContent only: order data is never HTML
  if (cls) n.className = cls;
  return n;
}

/** @param {HTMLElement} tbody @param {(string | number | HTMLElement)[][]} rows @param {number[]} [numCols] */
function fill(tbody, rows, numCols = []) {
  tbody.replaceChildren(
    ...rows.map((cells) => {
      const tr = el('tr');
      cells.forEach((c, i) => {
        const td = el('td', typeof c === 'object' ? undefined : c, numCols.includes(i) ? 'num' : undefined);
        if (typeof c === 'object') td.append(c);
        tr.append(td);
      });
      return tr;
    }),
  );
}

/** @param {string} orderNo */
function openButton(orderNo) {
  const b = el('button', '查看', 'secondary open-order');
  b.dataset.orderNo = orderNo;
  b.addEventListener('click', () => void openOrder(orderNo));
  return b;
}

/** @param {string} s */
const stateCell = (s) => el('span', word(s), `state-${s}`);

/** @param {string} [message] */
function showLogin(message) {
  $('app-view').hidden = true;
  $('who').hidden = true;
  $('login-view').hidden = false;
  $('login-error').textContent = message ?? '';
  input('login-username').focus();
}

/** @param {{ staff: { username: string, roles: string[] }, csrfToken: string }} s */
function showApp(s) {
  state.csrf = s.csrfToken;
  state.roles = s.staff.roles;
  $('whoami').textContent = `${s.staff.username}（${s.staff.roles.join('、')}）`;
  $('login-view').hidden = true;
  $('who').hidden = false;
  $('app-view').hidden = false;
  void loadReviews();
}

function criteria() {
  /** @type {Record<string, string>} */
  const c = {};
  const pairs = [['from', 'search-from'], ['to', 'search-to'], ['idNo', 'search-idno'], ['orderNo', 'search-orderno'], ['channel', 'search-channel'], ['state', 'search-state']];
  for (const [k, id] of pairs) {
    const v = input(id).value.trim();
    if (v) c[k] = v;
  }
  return c;
}

/** Results that no longer match what is on screen (a refused search) are taken away, not left standing. */
function clearResults() {
  fill($('results').querySelector('tbody') ?? $('results'), []);
  $('results-summary').textContent = '';
  $('page-info').textContent = '';
}

async function search() {
  $('search-error').textContent = '';
  try {
    const r = await api('POST', '/staff/api/orders/search', { ...criteria(), page: state.page, pageSize: state.pageSize });
    state.total = r.total;
    fill(
      $('results').querySelector('tbody') ?? $('results'),
      r.orders.map((/** @type {Row} */ o) => [o.orderNo, time(o.createdAt), kindWord(o), word(o.channel), `${o.patient.nameMasked} ${o.patient.idNoMasked}`, stateCell(o.state), yuan(o.amounts.totalFen), yuan(o.amounts.fundFen + o.amounts.acctFen), yuan(o.amounts.cashFen), yuan(o.refundedFen), openButton(o.orderNo)]),
      [6, 7, 8, 9],
    );
    const pages = Math.max(1, Math.ceil(r.total / state.pageSize));
    $('results-summary').textContent = `共 ${r.total} 笔订单`;
    $('page-info').textContent = `第 ${state.page} / ${pages} 页`;
    /** @type {HTMLButtonElement} */ ($('page-prev')).disabled = state.page <= 1;
    /** @type {HTMLButtonElement} */ ($('page-next')).disabled = state.page >= pages;
  } catch (err) {
    clearResults();
    $('search-error').textContent = /** @type {Error} */ (err).message;
  }
}

async function exportCsv() {
  $('search-error').textContent = '';
  const res = await send('POST', '/staff/api/orders/export', criteria());
  if (!res.ok) {
    const data = await res.json().catch(() => ({}));
    $('search-error').textContent = data.error?.message ?? `导出失败 (${res.status})`;
    return;
  }
  const name = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'orders.csv';
  const url = URL.createObjectURL(await res.blob());
  const a = /** @type {HTMLAnchorElement} */ (el('a'));
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function loadReviews() {
  try {
    const r = await api('GET', '/staff/api/reviews');
    $('review-count').textContent = r.reviews.length ? `(${r.reviews.length})` : '';
    $('reviews-empty').hidden = r.reviews.length > 0;
    fill(
      $('reviews').querySelector('tbody') ?? $('reviews'),
      r.reviews.map((/** @type {Row & { review: Review }} */ o) => [o.orderNo, time(o.review.openedAt), o.patient.nameMasked, o.review.reason, yuan(o.amounts.totalFen), openButton(o.orderNo)]),
      [4],
    );
  } catch (err) {
    $('reviews-empty').hidden = false;
    $('reviews-empty').textContent = /** @type {Error} */ (err).message;
  }
}

/** @param {HTMLElement} dl @param {[string, string | undefined][]} pairs */
function facts(dl, pairs) {
  dl.replaceChildren(...pairs.filter(([, v]) => v).flatMap(([k, v]) => [el('dt', k), el('dd', v)]));
}

/** @param {string} orderNo */
async function openOrder(orderNo) {
  /** @type {Detail} */
  const o = (await api('GET', `/staff/api/orders/${encodeURIComponent(orderNo)}`)).order;
  state.current = o;
  const d = $('order-detail');
  d.dataset.orderNo = o.orderNo;
  $('detail-title').textContent = `订单 ${o.orderNo}`;
  $('detail-state').replaceChildren('当前状态：', stateCell(o.state));
  facts($('detail-facts'), [['项目', o.title], ['类型', kindWord(o)], ['渠道', word(o.channel)], ['患者', `${o.patient.nameMasked} ${o.patient.idNoMasked}`],
    ['HIS患者号', o.hisPatientId], ['参保地', o.regionName ? `${o.regionName}（${o.regionCode}）` : o.regionCode], ['科室', o.detail.department], ['医生', o.detail.doctor], ['下单时间', time(o.createdAt)], ['支付时间', time(o.paidAt)]]);
  const a = o.amounts;
  fill(/** @type {HTMLElement} */ ($('detail-amounts').querySelector('tbody')), [['总金额', yuan(a.totalFen)], ['统筹基金支付', yuan(a.fundFen)], ['个人账户支付', yuan(a.acctFen)], ['个人自付（自费）', yuan(a.cashFen)], ['退款（含处理中）', yuan(o.refundedFen)]], [1]);
  fill(/** @type {HTMLElement} */ ($('detail-payments').querySelector('tbody')), o.payments.map((/** @type {Payment} */ p) => [word(p.part), word(p.via), yuan(p.amountFen), p.reference, p.tradeNo ?? '', PAY_STATUS[p.status] ?? p.status, time(p.at)]), [2]);
  fill(/** @type {HTMLElement} */ ($('detail-refunds').querySelector('tbody')), o.refunds.map((/** @type {Refund} */ r) => [r.refundNo, word(r.requestedBy), REFUND_STATE[r.state] ?? r.state, yuan(r.amounts.totalFen), r.lastError ? `${r.reason ?? ''}（${r.lastError}）` : r.reason ?? '', time(r.createdAt)]), [3]);
  $('detail-reversal').hidden = !o.reversal;
  if (o.reversal) {
    $('detail-reversal-reason').textContent = `开始于 ${time(o.reversal.startedAt)}：${o.reversal.reason}`;
    fill(/** @type {HTMLElement} */ ($('detail-reversal').querySelector('tbody')), o.reversal.steps.map((/** @type {Step} */ s) => [time(s.at), word(s.step), word(s.outcome), s.detail]));
  }
  renderReview(o);
  renderRefund(o);
  fill(/** @type {HTMLElement} */ ($('detail-timeline').querySelector('tbody')), o.timeline.map((/** @type {Entry} */ t) => [time(t.at), t.from === t.to ? word(t.to) : `${word(t.from)} → ${word(t.to)}`, t.event, t.reason ?? '', word(t.by)]));
  fill(/** @type {HTMLElement} */ ($('detail-calls').querySelector('tbody')), o.calls.map((/** @type {Call} */ c) => [time(c.at), word(c.peer), word(c.op), Math.round(c.ms), word(c.outcome), c.requestId ?? '', c.detail ?? '']), [3]);
  d.hidden = false;
  d.scrollIntoView({ block: 'start' });
}

/** @param {Detail} o */
function renderReview(o) {
  const box = $('detail-review');
  box.hidden = !o.review;
  $('resolve-done').hidden = true;
  if (!o.review) return;
  const r = o.review;
  facts(/** @type {HTMLElement} */ (box.querySelector('dl')), [['原因', r.reason], ['进入核对', time(r.openedAt)], ['之前状态', word(r.fromState)],
    ['处理时间', time(r.resolvedAt)], ['处理人', r.resolvedBy], ['处理结果', r.resolution && word(r.resolution)], ['处理说明', r.note]]);
  const mayResolve = state.roles.includes('finance') || state.roles.includes('admin');
  // asking both peers again, before deciding: only while the case is open
  $('recheck-box').hidden = !(mayResolve && o.state === 'manual_review');
  $('recheck-result').textContent = '';
  const form = $('resolve-form');
  form.hidden = !(o.reviewTargets.length && mayResolve);
  $('resolve-error').textContent = '';
  input('resolve-note').value = '';
  $('resolve-to').replaceChildren(...o.reviewTargets.map((/** @type {string} */ s) => Object.assign(el('option', word(s)), { value: s })));
}

async function resolve() {
  const o = state.current;
  if (!o) return;
  $('resolve-error').textContent = '';
  try {
    const body = { to: input('resolve-to').value, note: input('resolve-note').value, version: o.version };
    await api('POST', `/staff/api/orders/${encodeURIComponent(o.orderNo)}/review`, body);
    await openOrder(o.orderNo);
    $('resolve-done').hidden = false;
    $('resolve-done').textContent = `已处理为「${word(body.to)}」`;
    void loadReviews();
  } catch (err) {
    $('resolve-error').textContent = /** @type {Error} */ (err).message;
  }
}

/** Asks the centre and the channel again; their answers are shown here and written on the timeline. */
async function recheck() {
  const o = state.current;
  if (!o) return;
  const out = $('recheck-result');
  out.textContent = '正在查询…';
  try {
    const r = await api('POST', `/staff/api/orders/${encodeURIComponent(o.orderNo)}/recheck`, {});
    await openOrder(o.orderNo);
    const said = [r.answers.centre && `医保中心：${r.answers.centre}`, r.answers.channel && `支付渠道：${r.answers.channel}`].filter(Boolean);
    $('recheck-result').textContent = said.join('；') || '本单没有可查询的医保或支付渠道订单';
  } catch (err) {
    out.textContent = /** @type {Error} */ (err).message;
  }
}

/** "12.30" → 1230 fen, without floating point; NaN when it is not an amount. @param {string} text */
function fenOf(text) {
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text.trim());
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : NaN;
}

/** Refunds are started by finance (admin standing in) on a completed order. @param {Detail} o */
function renderRefund(o) {
  const may = (state.roles.includes('finance') || state.roles.includes('admin')) && ['completed', 'partially_refunded'].includes(o.state);
  $('refund-form').hidden = !may;
  $('refund-done').hidden = true;
  $('refund-error').textContent = '';
  input('refund-reason').value = '';
  $('refund-left').textContent = `已付 ${yuan(o.amounts.totalFen)}，已退（含处理中）${yuan(o.refundedFen)}，最多还可退 ${yuan(o.amounts.totalFen - o.refundedFen)}`;
}

async function startRefund() {
  const o = state.current;
  if (!o) return;
  $('refund-error').textContent = '';
  const all = input('refund-all').checked;
  const amounts = { fundFen: fenOf(input('refund-fund').value), acctFen: fenOf(input('refund-acct').value), cashFen: fenOf(input('refund-cash').value) };
  if (!all && Object.values(amounts).some((v) => Number.isNaN(v))) {
    $('refund-error').textContent = '金额格式不正确，请填写元，例如 12.30';
    return;
  }
  const reason = input('refund-reason').value.trim();
  const total = all ? o.amounts.totalFen - o.refundedFen : amounts.fundFen + amounts.acctFen + amounts.cashFen;
  // the second confirmation: the amount and the reason once more, in words
  if (!window.confirm(`确认为订单 ${o.orderNo} 退款 ${yuan(total)}？\n原因：${reason || '（未填写）'}\n退款发起后不能撤回。`)) return;
  const refundNo = `S${Date.now().toString(36).toUpperCase()}${Math.random().toString(36).slice(2, 6).toUpperCase()}`;
  try {
    await api('POST', `/staff/api/orders/${encodeURIComponent(o.orderNo)}/refunds`, { refundNo, ...(all ? { all: true } : { amounts }), reason, confirmed: true });
    await openOrder(o.orderNo);
    $('refund-done').hidden = false;
    $('refund-done').textContent = `已发起退款 ${yuan(total)}（退款单号 ${refundNo}），医保部分退回医保，自付部分原路退回`;
  } catch (err) {
    $('refund-error').textContent = /** @type {Error} */ (err).message;
  }
}

/** @param {'search' | 'reviews'} which */
function tab(which) {
  $('search-view').hidden = which !== 'search';
  $('reviews-view').hidden = which !== 'reviews';
  $('tab-search').classList.toggle('active', which === 'search');
  $('tab-reviews').classList.toggle('active', which === 'reviews');
  if (which === 'reviews') void loadReviews();
}

function start() {
  const sel = $('search-state');
  for (const [v, label] of Object.entries(STATES)) sel.append(Object.assign(el('option', label), { value: v }));
  input('search-from').value = today();
  input('search-to').value = today();
  $('login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      showApp(await api('POST', '/staff/api/session', { username: input('login-username').value, password: input('login-password').value }));
      input('login-password').value = '';
    } catch (err) {
      $('login-error').textContent = /** @type {Error} */ (err).message;
    }
  });
  $('logout').addEventListener('click', async () => {
    await api('DELETE', '/staff/api/session').catch(() => undefined);
    state.csrf = '';
    showLogin('已退出登录');
  });
  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    state.page = 1;
    void search();
  });
  $('export-csv').addEventListener('click', () => void exportCsv());
  $('page-prev').addEventListener('click', () => { state.page -= 1; void search(); });
  $('page-next').addEventListener('click', () => { state.page += 1; void search(); });
  $('tab-search').addEventListener('click', () => tab('search'));
  $('tab-reviews').addEventListener('click', () => tab('reviews'));
  $('detail-close').addEventListener('click', () => { $('order-detail').hidden = true; });
  $('resolve-form').addEventListener('submit', (e) => { e.preventDefault(); void resolve(); });
  $('recheck').addEventListener('click', () => void recheck());
  $('refund-form').addEventListener('submit', (e) => { e.preventDefault(); void startRefund(); });
  $('refund-all').addEventListener('change', () => {
    for (const id of ['refund-fund', 'refund-acct', 'refund-cash']) input(id).disabled = input('refund-all').checked;
  });
  api('GET', '/staff/api/session').then(showApp, () => showLogin());
}

document.addEventListener('DOMContentLoaded', start);
