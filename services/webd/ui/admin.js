// Administration: tenants, domains, accounts, aliases and catch-alls, keys
// and certificates, the login log and the security events, all through
// /api/v1/admin. Shown to an appliance admin, a tenant admin (the API
// answers with its tenant only) and an auditor (lists only: no change
// control is made for one); keys and certificates to appliance admins and
// auditors only. Uses api(), withSudo(), needsSudo(), download(), say(),
// when() and cell() of app.js; text from the server is put in the page with
// textContent only, never as HTML.
'use strict';

const admin = { role: '', appliance: false, changes: false, editing: '', key: '', opener: null };

const kRoles = {
  'appliance-admin': ['user', 'tenant-admin', 'appliance-admin', 'auditor'],
  'tenant-admin': ['user', 'tenant-admin'],
};

const kRoleText = {
  'appliance-admin': 'You are an appliance admin: you see and change everything.',
  'tenant-admin': "You are a tenant admin: you see and change your tenant's accounts and aliases.",
  'auditor': 'You are an auditor: you see every list and log, and change nothing.',
};

function quotaText(bytes) {
  if (!bytes) return 'no limit';
  for (const [unit, shift] of [['T', 40], ['G', 30], ['M', 20], ['K', 10]]) {
    const size = 2 ** shift;
    if (bytes % size === 0) return (bytes / size) + unit;
  }
  return String(bytes);
}

function stateText(state) {
  return state === 'locked' ? 'disabled' : state;
}

function button(text, label, action) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'secondary';
  b.textContent = text;
  b.setAttribute('aria-label', label);
  b.addEventListener('click', action);
  return b;
}

function tableBody(id) {
  const body = $(id).querySelector('tbody');
  body.replaceChildren();
  return body;
}

// A row of texts, then a cell with the buttons (none for an auditor).
function row(body, texts, buttons) {
  const tr = document.createElement('tr');
  texts.forEach((t) => cell(tr, t));
  const td = document.createElement('td');
  if (admin.changes) (buttons || []).forEach((b) => td.appendChild(b));
  tr.appendChild(td);
  body.appendChild(tr);
  return tr;
}

// A change: asked for sudo first (app.js), again if it ran out meanwhile.
// Resolves with the answer once done (after `reload`, saying `done`), or
// with null after saying the error.
function change(method, path, body, done, reload) {
  return new Promise((resolve) => {
    const run = async () => {
      const r = await api(method, path, body);
      if (needsSudo(r, run)) return;
      if (!r.ok) {
        say(errorText(r));
        return resolve(null);
      }
      say(done);
      await reload();
      resolve(r);
    };
    withSudo(run);
  });
}

function fillRoles(select, current) {
  select.replaceChildren();
  for (const role of kRoles[admin.role] || []) {
    const option = document.createElement('option');
    option.value = role;
    option.textContent = role;
    select.appendChild(option);
  }
  select.value = current || 'user';
}

async function loadTenants() {
  const r = await api('GET', '/admin/tenants');
  const list = $('tenant-list');
  list.replaceChildren();
  const select = $('domain-tenant');
  select.replaceChildren();
  for (const t of (r.ok ? r.data.tenants : [])) {
    const li = item(list, t.name);
    if (admin.appliance) {
      li.appendChild(button('Remove', 'Remove tenant ' + t.name, () => change(
        'DELETE', '/admin/tenants/' + encodeURIComponent(t.name), undefined,
        'Tenant ' + t.name + ' removed.', loadTenants)));
    }
    const option = document.createElement('option');
    option.value = t.name;
    option.textContent = t.name;
    select.appendChild(option);
  }
}

async function loadDomains() {
  const r = await api('GET', '/admin/domains');
  const body = tableBody('domain-table');
  for (const d of (r.ok ? r.data.domains : [])) {
    const remove = admin.appliance ? [button('Remove', 'Remove domain ' + d.name, () => change(
      'DELETE', '/admin/domains/' + encodeURIComponent(d.name), undefined,
      'Domain ' + d.name + ' removed.', loadDomains))] : [];
    row(body, [d.name, d.tenant], remove);
  }
}

async function loadAccounts() {
  const r = await api('GET', '/admin/accounts');
  const body = tableBody('account-table');
  for (const a of (r.ok ? r.data.accounts : [])) {
    const buttons = [];
    // A tenant admin leaves accounts holding more than it may grant alone (the API refuses).
    if (a.state !== 'closed' && (kRoles[admin.role] || []).includes(a.role)) {
      buttons.push(button('Change', 'Change account ' + a.address, () => editAccount(a)));
      buttons.push(button('Close', 'Close account ' + a.address, () => closeAccount(a.address)));
    }
    row(body, [a.address, a.tenant, stateText(a.state), a.role, quotaText(a.quota),
      a.two_factor ? 'on' : 'off'], buttons);
  }
}

function editAccount(a) {
  admin.opener = document.activeElement;
  admin.editing = a.address;
  $('account-edit-address').textContent = a.address;
  $('account-edit-state').value = a.state === 'locked' ? 'locked' : 'active';
  fillRoles($('account-edit-role'), a.role);
  $('account-edit-quota').value = quotaText(a.quota) === 'no limit' ? '0' : quotaText(a.quota);
  $('account-edit-password').value = '';
  $('account-edit-totp').checked = false;
  $('account-edit-totp').disabled = !a.two_factor;
  show('account-edit-form', true);
  $('account-edit-state').focus();
}

function closeEdit() {
  admin.editing = '';
  $('account-edit-form').reset();
  show('account-edit-form', false);
}

async function saveAccount(event) {
  event.preventDefault();
  const address = admin.editing;
  const body = {
    state: $('account-edit-state').value,
    role: $('account-edit-role').value,
    quota: $('account-edit-quota').value.trim(),
  };
  const password = $('account-edit-password').value;
  if (password) body.password = password;
  if ($('account-edit-totp').checked) body.reset_two_factor = true;
  const r = await change('PATCH', '/admin/accounts/' + encodeURIComponent(address), body,
    'Account ' + address + ' changed.', loadAccounts);
  if (r) closeEdit();
}

async function closeAccount(address) {
  if (!window.confirm('Close ' + address + '? Its mail is destroyed after the retention period.')) return;
  await change('DELETE', '/admin/accounts/' + encodeURIComponent(address), undefined,
    'Account ' + address + ' closed.', loadAccounts);
}

async function addAccount(event) {
  event.preventDefault();
  const body = {
    address: $('account-address').value.trim(),
    quota: $('account-quota').value.trim() || '0',
    role: $('account-role').value,
  };
  const password = $('account-password').value;
  if (password) body.password = password;
  const r = await change('POST', '/admin/accounts', body, 'Account ' + body.address + ' added.',
    loadAccounts);
  if (!r) return;
  $('account-form').reset();
  fillRoles($('account-role'), 'user');
  $('account-new-address').textContent = r.data.address;
  $('account-new-password').textContent = r.data.password || '';
  show('account-new', Boolean(r.data.password));
}

async function loadAliases() {
  const r = await api('GET', '/admin/aliases');
  const body = tableBody('alias-table');
  for (const a of (r.ok ? r.data.aliases : [])) {
    const what = a.address.startsWith('@') ? 'catch-all ' : 'alias ';
    row(body, [a.address, a.account, a.tenant], [button('Remove', 'Remove ' + what + a.address,
      () => change('DELETE', '/admin/aliases/' + encodeURIComponent(a.address), undefined,
        'Removed ' + what + a.address + '.', loadAliases))]);
  }
}

async function addAlias(event) {
  event.preventDefault();
  const body = { address: $('alias-address').value.trim(), account: $('alias-account').value.trim() };
  const r = await change('POST', '/admin/aliases', body, body.address + ' leads to ' + body.account + '.',
    loadAliases);
  if (r) $('alias-form').reset();
}

async function addTenant(event) {
  event.preventDefault();
  const name = $('tenant-name').value.trim();
  const r = await change('POST', '/admin/tenants', { name }, 'Tenant ' + name + ' added.', loadTenants);
  if (r) $('tenant-form').reset();
}

async function addDomain(event) {
  event.preventDefault();
  const body = { name: $('domain-name').value.trim(), tenant: $('domain-tenant').value };
  const r = await change('POST', '/admin/domains', body, 'Domain ' + body.name + ' added.', loadDomains);
  if (r) $('domain-form').reset();
}

// The query of a log filter form: its filled fields, days as Unix seconds.
function filterQuery(form) {
  const query = new URLSearchParams();
  for (const field of form.querySelectorAll('input, select')) {
    const value = field.value.trim();
    if (!value) continue;
    if (field.type === 'date') {
      const day = new Date(value + 'T00:00:00');
      if (Number.isNaN(day.getTime())) continue;
      const seconds = Math.floor(day.getTime() / 1000);
      query.set(field.name, String(field.name === 'until' ? seconds + 86400 : seconds));
    } else {
      query.set(field.name, value);
    }
  }
  return query;
}

// A log: the filter form, its CSV link (a plain download with the session cookie) and the table.
function logView(name, columns) {
  const form = $('admin-' + name + '-filter');
  const link = $('admin-' + name + '-csv');
  const csv = () => {
    const query = filterQuery(form);
    query.set('format', 'csv');
    link.href = '/api/v1/admin/' + name + '?' + query.toString();
  };
  let latest = 0;
  const load = async () => {
    csv();
    const query = filterQuery(form).toString();
    const body = tableBody('admin-' + name);  // emptied at once: no old rows under a new filter
    const mine = ++latest;
    const r = await api('GET', '/admin/' + name + (query ? '?' + query : ''));
    if (mine !== latest) return;  // a newer filter was asked for meanwhile
    if (!r.ok) return say(errorText(r));
    for (const entry of r.data[name] || []) {
      const tr = document.createElement('tr');
      columns(entry).forEach((t) => cell(tr, t));
      body.appendChild(tr);
    }
  };
  form.addEventListener('input', csv);
  form.addEventListener('change', csv);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    say('');
    load();
  });
  return load;
}

const loadLoginLog = logView('logins', (l) =>
  [when(l.time), l.account, l.protocol, l.source, l.client, l.result, l.reason]);

const loadEventLog = logView('events', (e) =>
  [when(e.time), e.actor, e.action, e.target,
    typeof e.details === 'string' ? e.details : JSON.stringify(e.details)]);

// Keys and certificates: the token's TLS and DKIM key versions.
function keyPath(name, action) {
  return '/admin/keys/' + encodeURIComponent(name) + '/' + action;
}

function keyState(k) {
  if (k.retired) return 'retired ' + k.retired;
  return k.active ? 'active' : 'in service';
}

function keyButtons(k) {
  if (!admin.appliance || k.retired) return [];
  const out = [];
  if (k.active) {
    out.push(button('Rotate', 'Rotate ' + k.family + ': make a new version', () => rotateKey(k)));
  }
  if (k.purpose === 'tls') {
    out.push(button('CSR', 'CSR: certificate request for ' + k.name, () => openKeyForm('csr', k)));
    out.push(button('Certificate', 'Install a certificate for ' + k.name,
      () => openKeyForm('cert', k)));
  }
  out.push(button('Retire', 'Retire ' + k.name, () => retireKey(k.name)));
  return out;
}

async function loadKeys() {
  const r = await api('GET', '/admin/keys');
  const body = tableBody('key-table');
  if (!r.ok) return say(errorText(r));
  for (const k of r.data.keys) {
    const c = k.certificate;
    row(body, [k.name, k.algorithm, k.created, keyState(k), c ? c.subject + ' (' + c.issuer + ')' : '',
      c ? c.not_after : ''], keyButtons(k));
  }
}

async function loadKeyDomains() {
  const r = await api('GET', '/admin/domains');
  const select = $('dkim-domain');
  const chosen = select.value;
  select.replaceChildren();
  for (const d of (r.ok ? r.data.domains : [])) {
    const option = document.createElement('option');
    option.value = d.name;
    option.textContent = d.name;
    select.appendChild(option);
  }
  if (chosen) select.value = chosen;
}

function rotateKey(k) {
  if (k.purpose === 'dkim') {
    return change('POST', '/admin/dkim', { domain: k.family.slice(5), algorithm: k.algorithm.replace('-', '') },
      'A new DKIM key for ' + k.family.slice(5) + ': publish its record.', loadKeys);
  }
  return change('POST', '/admin/keys', { family: k.family }, 'A new version of ' + k.family + '.', loadKeys);
}

async function retireKey(name) {
  if (!window.confirm('Retire ' + name + '? It stops serving.')) return;
  await change('POST', keyPath(name, 'retire'), undefined, name + ' retired.', loadKeys);
}

function openKeyForm(which, k) {
  closeKeyForms();
  admin.opener = document.activeElement;
  admin.key = k.name;
  $(which + '-key').textContent = k.name;
  if (which === 'csr') $('csr-names').value = k.family.slice(4);
  show(which + '-form', true);
  $(which === 'csr' ? 'csr-names' : 'cert-file').focus();
}

function closeKeyForms() {
  admin.key = '';
  for (const id of ['csr-form', 'cert-form']) {
    $(id).reset();
    show(id, false);
  }
}

async function generateKey(event) {
  event.preventDefault();
  const family = 'tls/' + $('key-host').value.trim().toLowerCase();
  const body = { family };
  if ($('key-algorithm').value) body.algorithm = $('key-algorithm').value;
  const r = await change('POST', '/admin/keys', body, 'A new version of ' + family + '.', loadKeys);
  if (r) $('key-form').reset();
}

async function downloadCsr(event) {
  event.preventDefault();
  const name = admin.key;
  const names = $('csr-names').value.split(/[\s,]+/).filter(Boolean);
  const run = async () => {
    if (!await download(keyPath(name, 'csr'), 'application/pkcs10', { dns_names: names },
      'request.csr', run)) return;
    say('The certificate request for ' + name + ' is downloading.');
    closeKeyForms();
  };
  withSudo(run);
}

async function readCertificateFile() {
  const file = $('cert-file').files[0];
  if (file) $('cert-chain').value = await file.text();
}

async function installCertificate(event) {
  event.preventDefault();
  const name = admin.key;
  const r = await change('PUT', keyPath(name, 'certificate'), { chain: $('cert-chain').value },
    'Certificate installed for ' + name + '.', loadKeys);
  if (r) closeKeyForms();
}

async function showDkimRecords(event) {
  if (event) event.preventDefault();
  const domain = $('dkim-domain').value;
  const list = $('dkim-records');
  list.replaceChildren();
  if (!domain) return;
  const r = await api('GET', '/admin/dkim/' + encodeURIComponent(domain));
  if (!r.ok) return say(errorText(r));
  if (!r.data.records.length) item(list, domain + ' has no DKIM key.');
  for (const d of r.data.records) {
    const li = item(list, d.key + (d.signs ? ' (signs)' : ' (does not sign)') + ': ');
    const code = document.createElement('code');
    code.textContent = d.line;
    li.appendChild(code);
    li.appendChild(button('Copy', 'Copy the record of ' + d.key, async () => {
      await navigator.clipboard.writeText(d.line);
      say('Record copied.');
    }));
  }
}

async function generateDkim(event) {
  event.preventDefault();
  const domain = $('dkim-domain').value;
  const r = await change('POST', '/admin/dkim', { domain, algorithm: $('dkim-algorithm').value },
    'A new DKIM key for ' + domain + ': publish its record.', loadKeys);
  if (r) await showDkimRecords();
}

async function loadKeySection(me) {
  const on = admin.appliance || me.role === 'auditor';
  show('admin-keys', on);
  closeKeyForms();
  if (!on) return;
  await loadKeyDomains();
  await Promise.all([loadKeys(), showDkimRecords()]);
}

async function showAdmin(me) {
  admin.role = me.role;
  admin.appliance = me.role === 'appliance-admin';
  admin.changes = admin.appliance || me.role === 'tenant-admin';
  const on = Boolean(kRoleText[me.role]);
  show('admin', on);
  show('admin-link', on);
  if (!on) return;
  $('admin-role').textContent = kRoleText[me.role];
  for (const form of document.querySelectorAll('#admin .admin-change')) {
    form.hidden = !admin.changes || (form.dataset.needs === 'appliance' && !admin.appliance);
  }
  closeEdit();
  show('account-new', false);
  fillRoles($('account-role'), 'user');
  await Promise.all([loadTenants(), loadDomains(), loadAccounts(), loadAliases(), loadLoginLog(),
    loadEventLog(), loadKeySection(me)]);
}

// A form opened from a row's button: its Cancel, or Escape in it, closes it
// and puts focus back on that button.
function cancellable(formId, cancelId, close) {
  $(cancelId).addEventListener('click', () => {
    close();
    const opener = admin.opener;
    admin.opener = null;
    if (opener && opener.isConnected) opener.focus();
  });
  $(formId).addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    $(cancelId).click();
  });
}

document.addEventListener('account:me', (event) => showAdmin(event.detail));

document.addEventListener('DOMContentLoaded', () => {
  $('tenant-form').addEventListener('submit', addTenant);
  $('domain-form').addEventListener('submit', addDomain);
  $('account-form').addEventListener('submit', addAccount);
  $('account-edit-form').addEventListener('submit', saveAccount);
  cancellable('account-edit-form', 'account-edit-cancel', closeEdit);
  $('alias-form').addEventListener('submit', addAlias);
  $('key-form').addEventListener('submit', generateKey);
  $('csr-form').addEventListener('submit', downloadCsr);
  cancellable('csr-form', 'csr-cancel', closeKeyForms);
  $('cert-form').addEventListener('submit', installCertificate);
  $('cert-file').addEventListener('change', readCertificateFile);
  cancellable('cert-form', 'cert-cancel', closeKeyForms);
  $('dkim-show-form').addEventListener('submit', showDkimRecords);
  $('dkim-form').addEventListener('submit', generateDkim);
});
