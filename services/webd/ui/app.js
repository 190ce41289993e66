// My account: every action goes through the REST API (/api/v1). Text from
// the server is put in the page with textContent only, never as HTML.
// Administration is admin.js: it uses api(), withSudo() and the helpers
// here, and learns who signed in from the "account:me" event.
'use strict';

const state = { csrf: '', retry: null, opener: null };

function $(id) { return document.getElementById(id); }

function show(id, on) { $(id).hidden = !on; }

function say(text) { $('status').textContent = text || ''; }

async function api(method, path, body) {
  const headers = { 'Accept': 'application/json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = state.csrf;
  const init = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch('/api/v1' + path, init);
  const text = await response.text();
  const data = text ? JSON.parse(text) : {};
  if (data.csrf_token) state.csrf = data.csrf_token;
  return { ok: response.ok, status: response.status, data };
}

function errorText(r) {
  return (r.data && r.data.error && r.data.error.message) || ('request failed (' + r.status + ')');
}

function when(seconds) {
  return seconds ? new Date(seconds * 1000).toLocaleString() : '';
}

function cell(row, text) {
  const td = document.createElement('td');
  td.textContent = text;
  row.appendChild(td);
}

function item(list, text) {
  const li = document.createElement('li');
  li.textContent = text;
  list.appendChild(li);
  return li;
}

function screen(name) {
  show('sign-in', name === 'sign-in');
  show('forgot', name === 'forgot');
  show('second-factor', name === 'second-factor');
  show('account', name === 'account');
  show('who', name === 'account');
  if (name !== 'account') cancelSudo();
  const first = { 'sign-in': 'address', 'second-factor': 'code', 'forgot': 'forgot-address' }[name];
  if (first) $(first).focus();
}

async function start() {
  const r = await api('GET', '/session');
  if (r.data.second_factor_due) return screen('second-factor');
  if (!r.data.signed_in) return screen('sign-in');
  await loadAccount();
}

// `arriving`: just signed in, the form that had focus is gone: focus goes to
// the page's title (a screen reader reads it) before the lists load.
async function loadAccount(arriving) {
  const me = await api('GET', '/me');
  if (!me.ok) return screen('sign-in');
  $('who-address').textContent = me.data.address;
  screen('account');
  if (arriving) $('title').focus();
  await Promise.all([loadLogins(), loadAppPasswords(), loadEvents()]);
  showTotp(me.data.two_factor);
  showContact(me.data.contact_email, me.data.contact_pending);
  document.dispatchEvent(new CustomEvent('account:me', { detail: me.data }));
}

function showContact(current, pending) {
  let text = current ? 'Now: ' + current + '.' : 'None yet: a forgotten password cannot be reset by mail.';
  if (pending) text += ' Waiting for the code sent to ' + pending + '.';
  $('contact-state').textContent = text;
  show('contact-confirm-form', Boolean(pending));
}

// The sudo prompt is a modal dialog: it takes focus, Escape or Cancel drops
// the action, and focus goes back to what was focused when it opened.
function askSudo(retry) {
  state.retry = retry;
  $('sudo-error').textContent = '';
  if (!$('sudo').open) {
    state.opener = document.activeElement;
    $('sudo').showModal();
  }
  $('sudo-password').focus();
}

function cancelSudo() {
  state.retry = null;
  if ($('sudo').open) $('sudo').close();
}

function sudoClosed() {
  $('sudo-form').reset();
  const opener = state.opener;
  state.opener = null;
  if (opener && opener.isConnected) opener.focus();
}

// A sensitive action: asked for the password first unless the session is in sudo mode.
async function withSudo(action) {
  const s = await api('GET', '/session');
  if (s.ok && s.data.sudo) return action();
  askSudo(action);
}

// Sudo mode ended meanwhile: ask for the password, then do it again.
function needsSudo(r, retry) {
  if (r.status !== 403 || !r.data.error || r.data.error.code !== 'sudo_required') return false;
  askSudo(retry);
  return true;
}

async function confirmSudo(event) {
  event.preventDefault();
  const body = { password: $('sudo-password').value };
  const code = $('sudo-code').value.trim();
  if (code) body.code = code;
  const r = await api('POST', '/session/sudo', body);
  $('sudo-password').value = '';
  $('sudo-code').value = '';
  if (!r.ok) {
    $('sudo-error').textContent = errorText(r);
    return $('sudo-password').focus();
  }
  say('');
  const retry = state.retry;
  state.retry = null;
  $('sudo').close();
  if (retry) await retry();
}

async function loadLogins() {
  const r = await api('GET', '/me/logins');
  const body = $('logins').querySelector('tbody');
  body.replaceChildren();
  for (const l of (r.ok ? r.data.logins : [])) {
    const row = document.createElement('tr');
    [when(l.time), l.protocol, l.source, l.client, l.result].forEach((t) => cell(row, t));
    body.appendChild(row);
  }
}

async function loadAppPasswords() {
  const r = await api('GET', '/me/app-passwords');
  const list = $('apw-list');
  list.replaceChildren();
  for (const p of (r.ok ? r.data.app_passwords : [])) {
    const used = p.last_used ? 'last used ' + when(p.last_used) : 'never used';
    const li = item(list, p.name + ' (' + p.protocols + ', ' + used + ')');
    if (p.revoked) {
      li.append(' - revoked');
      continue;
    }
    const revoke = document.createElement('button');
    revoke.type = 'button';
    revoke.className = 'secondary';
    revoke.textContent = 'Revoke';
    revoke.setAttribute('aria-label', 'Revoke app password ' + p.name);
    revoke.addEventListener('click', () => revokeAppPassword(p.id));
    li.appendChild(revoke);
  }
}

async function loadEvents() {
  const r = await api('GET', '/me/events');
  const list = $('events');
  list.replaceChildren();
  for (const e of (r.ok ? r.data.events : [])) item(list, when(e.time) + ': ' + e.action);
}

function showTotp(on) {
  $('totp-state').textContent = on
    ? 'On: signing in asks for a code from your authenticator app.'
    : 'Off: your password alone signs you in.';
  show('totp-begin', !on);
}

async function signIn(event) {
  event.preventDefault();
  const r = await api('POST', '/session', { address: $('address').value, password: $('password').value });
  $('password').value = '';
  if (!r.ok) return say(errorText(r));
  say('');
  if (r.data.second_factor_due) return screen('second-factor');
  await loadAccount(true);
}

async function secondFactor(event) {
  event.preventDefault();
  const r = await api('POST', '/session/totp', { code: $('code').value.trim() });
  $('code').value = '';
  if (!r.ok) return say(errorText(r));
  say('');
  await loadAccount(true);
}

async function signOut() {
  await api('DELETE', '/session');
  state.csrf = '';
  screen('sign-in');
}

async function createAppPassword(event) {
  event.preventDefault();
  const protocols = [...document.querySelectorAll('#apw-form input[name=protocols]:checked')]
    .map((box) => box.value);
  const r = await api('POST', '/me/app-passwords', { name: $('apw-name').value, protocols });
  if (!r.ok) return say(errorText(r));
  say('');
  $('apw-text').textContent = r.data.password;
  show('apw-new', true);
  $('apw-form').reset();
  await Promise.all([loadAppPasswords(), loadEvents()]);
}

async function revokeAppPassword(id) {
  const r = await api('DELETE', '/me/app-passwords/' + encodeURIComponent(id));
  if (!r.ok) return say(errorText(r));
  show('apw-new', false);
  await Promise.all([loadAppPasswords(), loadEvents()]);
}

async function beginTotp() {
  const r = await api('POST', '/me/totp');
  if (!r.ok) return say(errorText(r));
  $('totp-qr').src = 'data:image/svg+xml;base64,' + btoa(r.data.qr_svg);
  $('totp-secret').textContent = r.data.secret;
  show('totp-enrol', true);
  show('totp-begin', false);
  $('totp-code').focus();
}

async function confirmTotp(event) {
  event.preventDefault();
  const r = await api('POST', '/me/totp/confirm', { code: $('totp-code').value.trim() });
  if (!r.ok) return say(errorText(r));
  say('');
  show('totp-enrol', false);
  const list = $('recovery-list');
  list.replaceChildren();
  r.data.recovery_codes.forEach((c) => item(list, c));
  show('totp-recovery', true);
  showTotp(true);
  await loadEvents();
}

async function requestContact() {
  const r = await api('POST', '/me/email', { address: $('contact-address').value.trim() });
  if (needsSudo(r, requestContact)) return;
  if (!r.ok) return say(errorText(r));
  $('contact-form').reset();
  await loadAccount();
  say(r.data.message);
}

async function confirmContact(event) {
  event.preventDefault();
  const r = await api('POST', '/me/email/confirm', { token: $('contact-code').value.trim() });
  if (!r.ok) return say(errorText(r));
  $('contact-code').value = '';
  say('Your contact address is confirmed.');
  await loadAccount();
}

// POSTs `body` (if any) to `path` and saves the answer as a file (a blob:
// URL), named by its Content-Disposition. True once downloading; false after
// saying the error, or when sudo mode is asked for first (`retry` then runs).
async function download(path, accept, body, fallback, retry) {
  const headers = { 'Accept': accept, 'X-CSRF-Token': state.csrf };
  const init = { method: 'POST', credentials: 'same-origin', headers };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch('/api/v1' + path, init);
  if (!response.ok) {
    const text = await response.text();
    const r = { ok: false, status: response.status, data: text ? JSON.parse(text) : {} };
    if (!needsSudo(r, retry)) say(errorText(r));
    return false;
  }
  const blob = await response.blob();
  const named = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') || '');
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = named ? named[1] : fallback;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60000);
  return true;
}

async function exportData() {
  if (!await download('/me/export', 'application/x-tar', undefined, 'mail-export.tar', exportData)) return;
  say('Your export is downloading.');
  await loadEvents();
}

function openForgot() {
  $('forgot-address').value = $('address').value;
  say('');
  screen('forgot');
}

async function requestReset(event) {
  event.preventDefault();
  const r = await api('POST', '/password-reset', { address: $('forgot-address').value.trim() });
  if (!r.ok) return say(errorText(r));
  say(r.data.message);
  $('forgot-code').focus();
}

async function confirmReset(event) {
  event.preventDefault();
  const body = {
    address: $('forgot-address').value.trim(),
    token: $('forgot-code').value.trim(),
    password: $('forgot-password').value,
  };
  const factor = $('forgot-factor').value.trim();
  if (factor) body.code = factor;
  const r = await api('POST', '/password-reset/confirm', body);
  $('forgot-password').value = '';
  if (!r.ok) return say(errorText(r));
  $('forgot-confirm-form').reset();
  $('address').value = body.address;
  screen('sign-in');
  say('Your password is changed: sign in with it.');
}

document.addEventListener('DOMContentLoaded', () => {
  $('sign-in-form').addEventListener('submit', signIn);
  $('second-factor-form').addEventListener('submit', secondFactor);
  $('sign-out').addEventListener('click', signOut);
  $('apw-form').addEventListener('submit', createAppPassword);
  $('totp-begin').addEventListener('click', beginTotp);
  $('totp-form').addEventListener('submit', confirmTotp);
  $('sudo-form').addEventListener('submit', confirmSudo);
  $('sudo-cancel').addEventListener('click', cancelSudo);
  $('sudo').addEventListener('cancel', () => { state.retry = null; });
  $('sudo').addEventListener('close', sudoClosed);
  $('contact-form').addEventListener('submit', (event) => {
    event.preventDefault();
    withSudo(requestContact);
  });
  $('contact-confirm-form').addEventListener('submit', confirmContact);
  $('export').addEventListener('click', () => withSudo(exportData));
  $('forgot-open').addEventListener('click', openForgot);
  $('forgot-close').addEventListener('click', () => { say(''); screen('sign-in'); });
  $('forgot-request-form').addEventListener('submit', requestReset);
  $('forgot-confirm-form').addEventListener('submit', confirmReset);
  start();
});
