// NAME
//   account.mjs - My account in a real Chromium (Debian's, driven by
//   playwright-core): sign in, enrol TOTP with a code computed here from the
//   secret the page shows, create an app password and use it over IMAP
//   (curl), see that login in Last logins; export my data through the sudo
//   prompt (a recovery code as second factor) and read the tar's first
//   header; ask for a new contact address; sign out, ask for a password
//   reset code, and sign in again with the TOTP step. Fails on any console
//   error, page error or CSP violation.
//
// SYNOPSIS
//   WEB_URL=https://127.0.0.1:PORT IMAPS_PORT=PORT ADDRESS=... PASSWORD=... node account.mjs
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { chromium } from 'playwright-core';

const { WEB_URL, IMAPS_PORT, ADDRESS, PASSWORD } = process.env;

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/=+$/, '').toUpperCase()) {
    bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

function totp(secret) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30)));
  const mac = crypto.createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, '0');
}

function imapLogin(user, password) {
  execFileSync('curl', ['--silent', '--show-error', '--insecure', '--max-time', '30',
    '--user', `${user}:${password}`, `imaps://127.0.0.1:${IMAPS_PORT}/`, '--request', 'NOOP']);
}

const problems = [];
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 390, height: 844 } });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));

  await page.goto(`${WEB_URL}/account/`);
  await page.getByLabel('Email address').fill(ADDRESS);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Last logins' }).waitFor();

  await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
  // Locators and evaluate, not waitForFunction: its polling evals a string, which the CSP refuses.
  await page.locator('#totp-secret', { hasText: /[A-Z2-7]/ }).waitFor();
  await page.locator('#totp-qr').evaluate((img) => img.decode());
  const secret = (await page.locator('#totp-secret').textContent()).trim();
  assert.match(secret, /^[A-Z2-7]+$/);
  assert.ok(await page.locator('#totp-qr').evaluate((img) => img.complete && img.naturalWidth > 0));
  await page.getByLabel('Code shown by the app').fill(totp(secret));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await page.locator('#recovery-list li').first().waitFor();
  const recovery = await page.locator('#recovery-list li').allTextContents();
  assert.equal(recovery.length, 10);

  await page.getByLabel('Name', { exact: true }).fill('laptop');
  await page.getByRole('button', { name: 'Create app password' }).click();
  await page.locator('#apw-new').waitFor();
  const appPassword = (await page.locator('#apw-text').textContent()).trim();
  assert.match(appPassword, /^apw_/);
  imapLogin(ADDRESS, appPassword);

  await page.reload();
  await page.locator('#logins tbody tr').first().waitFor();
  await page.locator('#events li').first().waitFor();
  const rows = await page.locator('#logins tbody tr').allTextContents();
  assert.ok(rows.some((r) => r.includes('imap') && r.includes('ok')), rows.join('\n'));
  const events = await page.locator('#events li').allTextContents();
  assert.ok(events.some((e) => e.includes('totp.enable')), events.join('\n'));

  await page.getByRole('button', { name: 'Export my data' }).click();
  await page.getByLabel('Your password').fill(PASSWORD);
  await page.getByLabel('Code from your authenticator app, if two-factor is on').fill(recovery[1]);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  const tar = fs.readFileSync(await (await download).path());
  assert.equal(tar.subarray(0, 12).toString(), 'account.json');
  assert.equal(tar.length % 512, 0);

  await page.getByLabel('New contact address').fill('alice@elsewhere.test');
  await page.getByRole('button', { name: 'Send a code' }).click();
  await page.getByText('Waiting for the code sent to alice@elsewhere.test').waitFor();
  await page.getByLabel('Code mailed to the new address').waitFor();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Forgot password?' }).click();
  await page.getByLabel("Your account's address").fill(ADDRESS);
  await page.getByRole('button', { name: 'Send me a code' }).click();
  await page.getByText('a code is on its way there').waitFor();
  await page.getByRole('button', { name: 'Back to sign-in' }).click();
  await page.getByLabel('Email address').fill(ADDRESS);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Code from your authenticator app, or a recovery code').fill(recovery[0]);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Last logins' }).waitFor();
  await page.keyboard.press('Tab');
  assert.deepEqual(problems, []);
  console.log('browser test passed');
} catch (e) {
  console.error(`seen in the page:\n${problems.join('\n')}`);
  throw e;
} finally {
  await browser.close();
}
