// NAME
//   admin.mjs - Administration in a real Chromium (Debian's, driven by
//   playwright-core). An appliance admin signs in, adds a domain (the sudo
//   prompt first) and a user with a password and a quota, opens the user's
//   change form and closes it with Escape (focus back on its button),
//   changes the quota, adds a tenant with a domain and a tenant admin of
//   acme (who sees acme only and no tenant or domain control), removes that
//   domain and tenant again, and makes an alias; an alias target with markup comes back in
//   the error as text. The user signs in (from a browser
//   whose User-Agent carries markup), enrols TOTP with a code computed here,
//   creates an app password, uses it over IMAP (curl) and sees that login in
//   Last logins. The admin then filters the login log to the user (the
//   User-Agent shown as text), downloads it as CSV and finds the account's
//   creation among the security events, and sees the token's keys
//   (Keys and certificates) with their change controls, downloads a CSR,
//   and the DKIM record form; the dashboard shows every service ready, the
//   mail chart, the updates and an empty queue. An auditor sees the lists,
//   the keys, the dashboard and the queue, and no change control. Each of
//   their screens (the sudo prompt and the forms opened included) passes
//   axe-core's WCAG 2.1 A and AA rules at a phone's width and a desktop's.
//   Fails on any console error, page error or CSP violation but the one
//   failed request the markup test makes.
//
// SYNOPSIS
//   WEB_URL=https://127.0.0.1:PORT IMAPS_PORT=PORT ADMIN=... AUDITOR=... PASSWORD=... node admin.mjs
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  checkA11y, createAppPassword, enrolTotp, imapLogin, newPage, signIn, withBrowser,
} from './lib.mjs';

const { WEB_URL, IMAPS_PORT, ADMIN, AUDITOR, PASSWORD } = process.env;
const USER = 'carol@web.test';
const BOSS = 'boss@example.test';
const USER_PASSWORD = 'purple elephant marmalade 42';
const MARKUP_AGENT = 'Mozilla/5.0 <script>window.pwned=1</script><img src=x onerror="window.pwned=1">';
const MARKUP_TARGET = '<img src=x onerror="window.pwned=1">@web.test';

// Nothing the page was given ran or became an element.
async function inert(page) {
  assert.equal(await page.locator('img[src="x"]').count(), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
}

await withBrowser(async (browser, problems) => {
  const admin = await newPage(browser, problems, 'admin');
  await signIn(admin, WEB_URL, ADMIN, PASSWORD);
  await admin.getByRole('heading', { name: 'Administration' }).waitFor();
  await admin.getByText('You are an appliance admin').waitFor();
  await admin.locator('#tenant-list li', { hasText: 'acme' }).waitFor();

  // The dashboard: every service ready, the chart, updates; the queue, empty.
  for (const daemon of ['keyd', 'smtpd', 'imapd', 'webd', 'updated']) {
    await admin.locator('#dashboard-daemons tbody tr', { hasText: daemon })
      .filter({ hasText: 'ready' }).waitFor();
  }
  assert.equal(await admin.locator('#dashboard-daemons tr.fault').count(), 0);
  assert.match(await admin.locator('#dashboard-token').textContent(), /^Token: open/);
  assert.equal(await admin.locator('#dashboard-chart rect').count(), 48);
  assert.match(await admin.locator('#dashboard-chart-text').textContent(), /last 24 hours: \d+ messages in, \d+ out \(to \d+ recipients\)\. Busiest hour: \d+\./);
  assert.match(await admin.locator('#dashboard-updates li').first().textContent(), /^Update status not reported yet: /);
  await admin.locator('#dashboard-certificates li', { hasText: 'tls/mail.example.test' }).waitFor();
  await admin.getByText('Nothing is queued.').waitFor();
  await checkA11y(admin, 'administration');

  await admin.getByLabel('New domain').fill('web.test');
  await admin.getByLabel('Its tenant').selectOption('acme');
  await admin.getByRole('button', { name: 'Add domain' }).click();
  await admin.getByLabel('Your password').waitFor();
  await checkA11y(admin, 'administration, sudo prompt');
  await admin.getByLabel('Your password').fill(PASSWORD);
  await admin.getByRole('button', { name: 'Confirm', exact: true }).click();
  await admin.locator('#domain-table tbody tr', { hasText: 'web.test' }).waitFor();

  await admin.getByLabel("New account's address").fill(USER);
  await admin.getByLabel('Password (leave empty to have one made)').fill(USER_PASSWORD);
  await admin.locator('#account-quota').fill('1G');
  await admin.locator('#account-role').selectOption('user');
  await admin.getByRole('button', { name: 'Add account' }).click();
  const account = admin.locator('#account-table tbody tr', { hasText: USER });
  await account.filter({ hasText: '1G' }).waitFor();
  assert.match(await account.textContent(), /acme.*active.*user.*1G.*off/);
  assert.ok(await admin.locator('#account-new').isHidden(), 'a password was typed: none is made');

  // Escape closes the change form, focus back on its button; then it is opened again.
  const changeButton = admin.getByRole('button', { name: `Change account ${USER}` });
  await changeButton.click();
  assert.ok(await admin.locator('#account-edit-state').evaluate((e) => e === document.activeElement));
  await admin.keyboard.press('Escape');
  assert.ok(await admin.locator('#account-edit-form').isHidden());
  assert.ok(await changeButton.evaluate((b) => b === document.activeElement));
  await changeButton.click();
  await checkA11y(admin, 'administration, account change');
  await admin.locator('#account-edit-quota').fill('2G');
  await admin.getByRole('button', { name: 'Save changes' }).click();
  await account.filter({ hasText: '2G' }).waitFor();
  assert.ok(await admin.locator('#account-edit-form').isHidden());

  await admin.getByLabel("New tenant's name").fill('initech');
  await admin.getByRole('button', { name: 'Add tenant' }).click();
  await admin.locator('#domain-tenant option', { hasText: 'initech' }).waitFor({ state: 'attached' });
  await admin.getByLabel('New domain').fill('initech.test');
  await admin.getByLabel('Its tenant').selectOption('initech');
  await admin.getByRole('button', { name: 'Add domain' }).click();
  await admin.locator('#domain-table tbody tr', { hasText: 'initech.test' }).waitFor();

  await admin.getByLabel("New account's address").fill(BOSS);
  await admin.getByLabel('Password (leave empty to have one made)').fill(USER_PASSWORD);
  await admin.locator('#account-role').selectOption('tenant-admin');
  await admin.getByRole('button', { name: 'Add account' }).click();
  await admin.locator('#account-table tbody tr', { hasText: BOSS }).filter({ hasText: 'tenant-admin' })
    .waitFor();

  // A tenant admin of acme: its tenant only, no tenant or domain changes, roles up to its own.
  const boss = await newPage(browser, problems, 'tenant admin');
  await signIn(boss, WEB_URL, BOSS, USER_PASSWORD);
  await boss.getByText('You are a tenant admin').waitFor();
  await boss.locator('#domain-table tbody tr', { hasText: 'web.test' }).waitFor();
  assert.deepEqual(await boss.locator('#tenant-list li').allTextContents(), ['acme']);
  assert.equal(await boss.locator('#domain-table tbody tr', { hasText: 'initech' }).count(), 0);
  assert.ok(await boss.locator('#tenant-form').isHidden());
  assert.ok(await boss.locator('#domain-form').isHidden());
  assert.equal(await boss.getByRole('button', { name: /^Remove (tenant|domain)/ }).count(), 0);
  assert.deepEqual(await boss.locator('#account-role option').allTextContents(), ['user', 'tenant-admin']);
  await boss.getByRole('button', { name: `Change account ${USER}` }).waitFor();
  await checkA11y(boss, 'administration, tenant admin');
  assert.equal(await boss.getByRole('button', { name: `Change account ${ADMIN}` }).count(), 0);
  await boss.close();

  await admin.getByRole('button', { name: 'Remove domain initech.test' }).click();
  await admin.getByText('Domain initech.test removed.').waitFor();
  await admin.getByRole('button', { name: 'Remove tenant initech' }).click();
  await admin.getByText('Tenant initech removed.').waitFor();
  assert.equal(await admin.locator('#tenant-list li', { hasText: 'initech' }).count(), 0);

  // The API answers 404 naming the target; Chromium reports the failed request on the console.
  const before = problems.length;
  const reported = admin.waitForEvent('console', (m) => m.type() === 'error' && m.text().includes('404'));
  await admin.getByLabel('Alias address, or @domain for a catch-all').fill('info@web.test');
  await admin.getByLabel('Leads to the account').fill(MARKUP_TARGET);
  await admin.getByRole('button', { name: 'Add alias' }).click();
  await admin.locator('#status', { hasText: '<img src=x onerror=' }).waitFor();
  await reported;
  await inert(admin);
  await checkA11y(admin, 'administration, error in the status line');
  const failed = problems.splice(before);
  assert.equal(failed.length, 1, failed.join('\n'));
  assert.match(failed[0], /Failed to load resource: .* 404/);
  await admin.getByLabel('Leads to the account').fill(USER);
  await admin.getByRole('button', { name: 'Add alias' }).click();
  await admin.locator('#alias-table tbody tr', { hasText: 'info@web.test' }).filter({ hasText: USER })
    .waitFor();

  const user = await newPage(browser, problems, 'user', { userAgent: MARKUP_AGENT });
  await signIn(user, WEB_URL, USER, USER_PASSWORD);
  await user.getByRole('heading', { name: 'Last logins' }).waitFor();
  assert.ok(await user.locator('#admin').isHidden());
  assert.ok(await user.getByRole('link', { name: 'Administration' }).isHidden());
  assert.equal((await enrolTotp(user)).length, 10);
  const appPassword = await createAppPassword(user, 'phone');
  assert.match(appPassword, /^apw_/);
  imapLogin(IMAPS_PORT, USER, appPassword);
  await user.reload();
  await user.locator('#logins tbody tr', { hasText: 'imap' }).waitFor();
  const rows = await user.locator('#logins tbody tr').allTextContents();
  assert.ok(rows.some((r) => r.includes('imap') && r.includes('ok')), rows.join('\n'));
  assert.ok(rows.some((r) => r.includes('<script>window.pwned=1</script>')), rows.join('\n'));
  await inert(user);
  await checkA11y(user, 'my account, a user');

  await admin.reload();
  await admin.getByRole('heading', { name: 'Administration' }).waitFor();
  await admin.locator('#account-table tbody tr', { hasText: USER })
    .locator('td:nth-child(6)', { hasText: /^on$/ }).waitFor();  // two-factor
  await admin.getByLabel('Account', { exact: true }).fill(USER);
  await admin.getByRole('button', { name: 'Show logins' }).click();
  await admin.locator('#admin-logins tbody tr', { hasText: 'imap' }).waitFor();
  const log = await admin.locator('#admin-logins tbody tr').allTextContents();
  assert.ok(log.every((r) => r.includes(USER)), log.join('\n'));
  assert.ok(log.some((r) => r.includes('web') && r.includes(MARKUP_AGENT)), log.join('\n'));
  await inert(admin);
  const download = admin.waitForEvent('download');
  await admin.getByRole('link', { name: 'Download the login log (CSV)' }).click();
  const csv = fs.readFileSync(await (await download).path(), 'utf8');
  assert.match(csv, /^"time","account","protocol","source","client","result","reason"\r?\n/);
  assert.ok(csv.includes(`"${USER}","imap"`), csv);
  assert.ok(!csv.includes(ADMIN), 'the CSV keeps the filter');
  await checkA11y(admin, 'administration, login log filtered');

  await admin.getByLabel('Action (like admin.account_create)').fill('admin.account_create');
  await admin.getByRole('button', { name: 'Show events' }).click();
  await admin.locator('#admin-events tbody tr', { hasText: USER }).filter({ hasText: ADMIN })
    .filter({ hasText: 'admin.account_create' }).waitFor();
  const events = await admin.locator('#admin-events tbody tr').allTextContents();
  assert.ok(events.every((r) => r.includes('admin.account_create')), events.join('\n'));

  await admin.locator('#key-table tbody tr', { hasText: 'tls/mail.example.test/' }).first().waitFor();
  assert.ok(await admin.getByRole('button', { name: /^Rotate tls\/.*: make a new version$/ }).count() >= 1);
  assert.ok(await admin.locator('#key-form').isVisible());
  assert.ok(await admin.locator('#csr-form').isHidden());
  await admin.getByRole('button', { name: /^CSR: certificate request for tls\// }).first().click();
  await checkA11y(admin, 'administration, certificate request');
  await admin.getByLabel(/^DNS names/).fill('mail.example.test smtp.example.test');
  const csrDownload = admin.waitForEvent('download');
  await admin.getByRole('button', { name: 'Download the CSR' }).click();
  const csr = fs.readFileSync(await (await csrDownload).path(), 'utf8');
  assert.match(csr, /^-----BEGIN CERTIFICATE REQUEST-----\n/);
  assert.ok(await admin.locator('#csr-form').isHidden());
  await inert(admin);

  const auditor = await newPage(browser, problems, 'auditor', { viewport: { width: 1280, height: 900 } });
  await signIn(auditor, WEB_URL, AUDITOR, PASSWORD);
  await auditor.getByText('You are an auditor').waitFor();
  await auditor.locator('#account-table tbody tr', { hasText: USER }).waitFor();
  await auditor.locator('#alias-table tbody tr', { hasText: 'info@web.test' }).waitFor();
  await auditor.locator('#admin-logins tbody tr').first().waitFor();
  await auditor.locator('#key-table tbody tr', { hasText: 'tls/mail.example.test/' }).first().waitFor();
  // Copying a DKIM record is the one button beside the filters: it reads.
  const buttons = (await auditor.locator('#admin button:visible').allTextContents())
    .filter((b) => b !== 'Copy');
  assert.deepEqual(buttons.sort(),
    ['Refresh', 'Show events', 'Show its records', 'Show logins', 'Show the queue'], buttons.join('\n'));
  const forms = await auditor.locator('#admin form:visible').evaluateAll((f) => f.map((x) => x.id));
  assert.deepEqual(forms.sort(),
    ['admin-events-filter', 'admin-logins-filter', 'dkim-show-form', 'queue-filter']);
  await auditor.locator('#dashboard-daemons tbody tr', { hasText: 'keyd' }).waitFor();
  await inert(auditor);
  await checkA11y(auditor, 'administration, auditor');

  await admin.keyboard.press('Tab');
});
