// NAME
//   queue.mjs - the mail queue of Administration in a real Chromium (Debian's,
//   driven by playwright-core). One message from SENDER waits in the outbound
//   queue. An appliance admin signs in, finds it in the queue, and holds it
//   (the sudo prompt first), releases it, retries it and deletes it (after
//   the browser's confirmation). After each, the page's row, its buttons and
//   its message, the entry as the API answers it (the admin's session) and
//   the security event are checked; the dashboard's queue line follows on
//   Refresh. The queue (and the sudo prompt) passes axe-core's WCAG 2.1 A
//   and AA rules at a phone's width and a desktop's. Fails on any console
//   error, page error or CSP violation.
//
// SYNOPSIS
//   WEB_URL=https://127.0.0.1:PORT ADMIN=... SENDER=... PASSWORD=... node queue.mjs
import assert from 'node:assert/strict';
import {
  checkA11y, newPage, signIn, withBrowser,
} from './lib.mjs';

const { WEB_URL, ADMIN, SENDER, PASSWORD } = process.env;

// A GET of the API with the page's session (no change: no CSRF token needed).
async function get(page, path) {
  const r = await page.request.get(`${WEB_URL}/api/v1${path}`);
  return { status: r.status(), data: r.status() === 200 ? await r.json() : null };
}

// The newest security event of `action`, as the API lists them.
async function lastEvent(page, action) {
  const r = await get(page, `/admin/events?action=${action}&limit=1`);
  assert.equal(r.status, 200);
  return r.data.events[0];
}

await withBrowser(async (browser, problems) => {
  const admin = await newPage(browser, problems, 'admin', { viewport: { width: 1280, height: 900 } });
  await signIn(admin, WEB_URL, ADMIN, PASSWORD);
  await admin.getByRole('heading', { name: 'Mail queue' }).waitFor();
  const row = admin.locator('#queue-list tbody tr', { hasText: SENDER });
  await row.waitFor();
  assert.equal(await admin.locator('#queue-list tbody tr').count(), 1);
  const id = (await row.locator('td').first().textContent()).trim();
  assert.match(id, /^\d+\.\d+$/);
  const state = row.locator('td:nth-child(7)');
  assert.equal(await state.textContent(), 'queued');
  assert.match(await row.textContent(), /1 of 1/);
  let entry = await get(admin, `/admin/queue/${encodeURIComponent(id)}`);
  assert.equal(entry.status, 200);
  assert.equal(entry.data.state, 'queued');
  const attempts = entry.data.attempts;
  await admin.locator('#dashboard-queue', { hasText: 'Queue: 1 waiting, 0 held' }).waitFor();
  await checkA11y(admin, 'queue');

  // Hold: the sudo prompt first, then the row says held and offers Release.
  await admin.getByRole('button', { name: `Hold ${id}` }).click();
  await admin.getByLabel('Your password').waitFor();
  await checkA11y(admin, 'queue, sudo prompt');
  await admin.getByLabel('Your password').fill(PASSWORD);
  await admin.getByRole('button', { name: 'Confirm', exact: true }).click();
  await admin.locator('#status', { hasText: `Queue entry ${id}: hold done.` }).waitFor();
  await state.filter({ hasText: /^held$/ }).waitFor();
  await admin.getByRole('button', { name: `Release ${id}` }).waitFor();
  await checkA11y(admin, 'queue, a held entry');
  assert.equal(await admin.getByRole('button', { name: `Hold ${id}` }).count(), 0);
  entry = await get(admin, `/admin/queue/${encodeURIComponent(id)}`);
  assert.equal(entry.data.state, 'held');
  let event = await lastEvent(admin, 'admin.queue_hold');
  assert.equal(event.actor, ADMIN);
  assert.equal(event.target, SENDER);
  assert.deepEqual(event.details.id, id);
  await admin.getByRole('button', { name: 'Refresh' }).click();
  await admin.locator('#dashboard-queue', { hasText: 'Queue: 0 waiting, 1 held' }).waitFor();

  // The filter by state finds it among the held, not among the queued.
  await admin.locator('#queue-state').selectOption('queued');
  await admin.getByRole('button', { name: 'Show the queue' }).click();
  await admin.getByText('Nothing is queued.').waitFor();
  await admin.locator('#queue-state').selectOption('held');
  await admin.getByRole('button', { name: 'Show the queue' }).click();
  await row.waitFor();
  await admin.locator('#queue-state').selectOption('');
  await admin.getByRole('button', { name: 'Show the queue' }).click();
  await row.waitFor();

  // Release: queued again, with Hold offered; sudo mode still holds.
  await admin.getByRole('button', { name: `Release ${id}` }).click();
  await admin.locator('#status', { hasText: `Queue entry ${id}: release done.` }).waitFor();
  await state.filter({ hasText: /^queued$/ }).waitFor();
  await admin.getByRole('button', { name: `Hold ${id}` }).waitFor();
  entry = await get(admin, `/admin/queue/${encodeURIComponent(id)}`);
  assert.equal(entry.data.state, 'queued');
  event = await lastEvent(admin, 'admin.queue_release');
  assert.equal(event.details.id, id);

  // Retry now: due at once (deliverd takes it at its next poll, an hour away here).
  const before = Math.floor(Date.now() / 1000);
  await admin.getByRole('button', { name: `Retry now ${id}` }).click();
  await admin.locator('#status', { hasText: `Queue entry ${id}: retry done.` }).waitFor();
  entry = await get(admin, `/admin/queue/${encodeURIComponent(id)}`);
  assert.equal(entry.data.state, 'queued');
  assert.ok(entry.data.next_attempt >= before - 1, JSON.stringify(entry.data));
  assert.ok(entry.data.next_attempt <= Math.floor(Date.now() / 1000) + 1, JSON.stringify(entry.data));
  assert.equal(entry.data.attempts, attempts);
  assert.equal(entry.data.recipients[0].state, 'pending');
  event = await lastEvent(admin, 'admin.queue_retry');
  assert.equal(event.details.id, id);
  await state.filter({ hasText: /^queued$/ }).waitFor();

  // Delete: the browser asks first; dismissed, nothing happens; accepted, it is gone.
  admin.once('dialog', (d) => d.dismiss());
  await admin.getByRole('button', { name: `Delete ${id}` }).click();
  await row.waitFor();
  assert.equal((await get(admin, `/admin/queue/${encodeURIComponent(id)}`)).status, 200);
  const asked = new Promise((resolve) => {
    admin.once('dialog', (d) => {
      resolve(d.message());
      d.accept();
    });
  });
  await admin.getByRole('button', { name: `Delete ${id}` }).click();
  assert.equal(await asked, `Delete queue entry ${id} without a bounce?`);
  await admin.locator('#status', { hasText: `Queue entry ${id} deleted.` }).waitFor();
  await admin.getByText('Nothing is queued.').waitFor();
  assert.equal(await admin.locator('#queue-list tbody tr').count(), 0);
  assert.equal((await get(admin, `/admin/queue/${encodeURIComponent(id)}`)).status, 404);
  assert.deepEqual((await get(admin, '/admin/queue')).data.entries, []);
  event = await lastEvent(admin, 'admin.queue_delete');
  assert.equal(event.details.id, id);
  await admin.getByRole('button', { name: 'Refresh' }).click();
  await admin.locator('#dashboard-queue', { hasText: 'Queue: 0 waiting, 0 held' }).waitFor();
  await checkA11y(admin, 'queue, empty');
});
