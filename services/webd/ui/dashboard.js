// The dashboard and the mail queue of Administration. The dashboard
// (/api/v1/admin/status: services, token, storage, certificates, mail in
// and out per hour, queue counts, updates, recent security events) is shown
// to appliance admins and auditors; the queue (/api/v1/admin/queue, with
// retry, hold, release and delete) to every administrator, a tenant admin
// seeing its own tenant's mail. Uses api(), say(), when(), cell(), $() and
// show() of app.js and admin, row(), button(), tableBody() and change() of
// admin.js; text from the server is set with textContent only.
'use strict';

const kSvg = 'http://www.w3.org/2000/svg';

function svg(name, attributes) {
  const element = document.createElementNS(kSvg, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

function bytesText(n) {
  for (const [unit, shift] of [['TB', 40], ['GB', 30], ['MB', 20], ['KB', 10]]) {
    if (n >= 2 ** shift) return (n / 2 ** shift).toFixed(1) + ' ' + unit;
  }
  return n + ' bytes';
}

function listOf(id, texts) {
  const list = $(id);
  list.replaceChildren();
  texts.forEach((t) => item(list, t));
}

// Mail in and out per hour as bars, with the same figures in words below.
function drawMail(hours) {
  const chart = $('dashboard-chart');
  chart.replaceChildren();
  const busiest = Math.max(0, ...hours.map((h) => Math.max(h.in, h.out)));
  const top = Math.max(1, busiest);
  const width = 480 / Math.max(1, hours.length);
  hours.forEach((h, i) => {
    const x = i * width;
    for (const [value, offset, kind] of [[h.in, 0, 'bar-in'], [h.out, width / 2, 'bar-out']]) {
      const height = Math.round((value / top) * 100);
      const bar = svg('rect', { x: x + offset + 1, y: 110 - height, width: width / 2 - 1,
        height, class: kind });
      const title = svg('title', {});
      title.textContent = new Date(h.hour * 1000).toLocaleTimeString() + ': ' + value +
        (kind === 'bar-in' ? ' in' : ' out');
      bar.appendChild(title);
      chart.appendChild(bar);
    }
  });
  chart.appendChild(svg('line', { x1: 0, y1: 110, x2: 480, y2: 110, class: 'axis' }));
  const sum = (key) => hours.reduce((n, h) => n + h[key], 0);
  $('dashboard-chart-text').textContent = 'In the last 24 hours: ' + sum('in') +
    ' messages in, ' + sum('out') + ' out (to ' + sum('out_recipients') +
    ' recipients). Busiest hour: ' + busiest + '.';
}

function updateTexts(u) {
  if (!u.status) return ['Update status ' + u.reason];
  const s = u.status;
  const out = ['Channel ' + s.channel + ', install policy ' + s.install +
    (s.state === 'idle' ? ' (idle: no update channel configured)' : '')];
  out.push('Last check: ' + (s.last_check ? new Date(s.last_check).toLocaleString() : 'none yet') +
    ': ' + s.result + (s.message ? ' (' + s.message + ')' : ''));
  out.push('Running ' + (s.running_version || 'unknown') +
    (s.available_version ? ', available ' + s.available_version : '') +
    (s.pending_version ? ', installed and waiting for a reboot ' + s.pending_version : ''));
  if (s.boot) out.push('After boot: ' + s.boot);
  if (u.reboot_request) out.push('Reboot requested: ' + u.reboot_request);
  return out;
}

async function loadDashboard() {
  const r = await api('GET', '/admin/status');
  if (!r.ok) return say(errorText(r));
  const s = r.data;
  const body = tableBody('dashboard-daemons');
  for (const d of s.daemons) {
    const tr = row(body, [d.daemon, d.state, d.reason,
      d.age_seconds === null || d.age_seconds === undefined ? '' : d.age_seconds + ' s']);
    tr.className = d.state === 'ready' ? '' : 'fault';
  }
  $('dashboard-token').textContent = 'Token: ' +
    (s.token.ready ? 'open' : 'NOT READY') + (s.token.reason ? ' (' + s.token.reason + ')' : '');
  $('dashboard-storage').textContent = s.storage
    ? 'Storage: ' + bytesText(s.storage.used_bytes) + ' used of ' +
      bytesText(s.storage.total_bytes) + ', ' + bytesText(s.storage.free_bytes) + ' free'
    : 'Storage: unknown';
  $('dashboard-queue').textContent = 'Queue: ' + (s.queue.queued || 0) + ' waiting, ' +
    (s.queue.held || 0) + ' held';
  listOf('dashboard-certificates', s.certificates.map((c) => c.error
    ? c.key + ': ' + c.error
    : c.key + ': ' + c.subject + ', expires ' + when(c.not_after) +
      ' (in ' + c.days_left + ' days)'));
  drawMail(s.mail);
  listOf('dashboard-updates', updateTexts(s.updates));
  listOf('dashboard-events', s.events.map((e) =>
    when(e.time) + ': ' + e.action + ' by ' + e.actor + (e.target ? ' on ' + e.target : '')));
}

// The queue: entries with their state; changes through change() (sudo first).
function queueButtons(e) {
  const path = '/admin/queue/' + encodeURIComponent(e.id);
  const act = (verb, text, label) => button(text, label + ' ' + e.id, () =>
    change('POST', path + '/' + verb, undefined, 'Queue entry ' + e.id + ': ' + verb + ' done.',
      loadQueue));
  const out = [act('retry', 'Retry now', 'Retry now')];
  out.push(e.state === 'held' ? act('release', 'Release', 'Release') : act('hold', 'Hold', 'Hold'));
  out.push(button('Delete', 'Delete ' + e.id, () => {
    if (!window.confirm('Delete queue entry ' + e.id + ' without a bounce?')) return;
    change('DELETE', path, undefined, 'Queue entry ' + e.id + ' deleted.', loadQueue);
  }));
  return out;
}

let queueAsked = 0;

async function loadQueue() {
  const query = filterQuery($('queue-filter')).toString();
  const body = tableBody('queue-list');
  const mine = ++queueAsked;
  const r = await api('GET', '/admin/queue' + (query ? '?' + query : ''));
  if (mine !== queueAsked) return;
  if (!r.ok) return say(errorText(r));
  const entries = r.data.entries || [];
  show('queue-empty', entries.length === 0);
  for (const e of entries) {
    row(body, [e.id, e.sender || '<>', e.pending + ' of ' + e.recipients, bytesText(e.size),
      String(e.attempts), when(e.next_attempt), e.state], queueButtons(e));
  }
}

async function showOperations(me) {
  const dashboard = me.role === 'appliance-admin' || me.role === 'auditor';
  const queue = dashboard || me.role === 'tenant-admin';
  show('admin-dashboard', dashboard);
  show('admin-queue', queue);
  const loads = [];
  if (dashboard) loads.push(loadDashboard());
  if (queue) loads.push(loadQueue());
  await Promise.all(loads);
}

document.addEventListener('account:me', (event) => showOperations(event.detail));

document.addEventListener('DOMContentLoaded', () => {
  $('dashboard-refresh').addEventListener('click', () => {
    say('');
    loadDashboard();
  });
  $('queue-filter').addEventListener('submit', (event) => {
    event.preventDefault();
    say('');
    loadQueue();
  });
});
