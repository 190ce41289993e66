// NAME
//   account.mjs - My account in a real Chromium (Debian's, driven by
//   playwright-core): sign in, enrol TOTP with a code computed here from the
//   secret the page shows, create an app password and use it over IMAP
//   (curl), see that login in Last logins; export my data through the sudo
//   prompt (a recovery code as second factor) and read the tar's first
//   header; ask for a new contact address; sign out, ask for a password
//   reset code, and sign in again with the TOTP step. Each screen on the
//   way (sign-in, My account, the sudo prompt, password reset, the TOTP
//   step) passes axe-core's WCAG 2.1 A and AA rules at a phone's width and a
//   desktop's. Fails on any console error, page error or CSP violation.
//
// SYNOPSIS
//   WEB_URL=https://127.0.0.1:PORT IMAPS_PORT=PORT ADDRESS=... PASSWORD=... node account.mjs
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  checkA11y, createAppPassword, enrolTotp, imapLogin, newPage, signIn, withBrowser,
} from './lib.mjs';

const { WEB_URL, IMAPS_PORT, ADDRESS, PASSWORD } = process.env;

await withBrowser(async (browser, problems) => {
  const page = await newPage(browser, problems, 'alice');
  await page.goto(`${WEB_URL}/account/`);
  await page.getByLabel('Email address').waitFor();
  await checkA11y(page, 'sign-in');
  await signIn(page, WEB_URL, ADDRESS, PASSWORD);
  await page.getByRole('heading', { name: 'Last logins' }).waitFor();
  await checkA11y(page, 'my account');
  assert.ok(await page.locator('#admin').isHidden());

  const recovery = await enrolTotp(page);
  assert.equal(recovery.length, 10);
  await checkA11y(page, 'recovery codes');

  const appPassword = await createAppPassword(page, 'laptop');
  assert.match(appPassword, /^apw_/);
  imapLogin(IMAPS_PORT, ADDRESS, appPassword);
  await checkA11y(page, 'new app password');

  await page.reload();
  await page.locator('#logins tbody tr').first().waitFor();
  await page.locator('#events li').first().waitFor();
  const rows = await page.locator('#logins tbody tr').allTextContents();
  assert.ok(rows.some((r) => r.includes('imap') && r.includes('ok')), rows.join('\n'));
  const events = await page.locator('#events li').allTextContents();
  assert.ok(events.some((e) => e.includes('totp.enable')), events.join('\n'));

  await page.getByRole('button', { name: 'Export my data' }).click();
  await page.getByLabel('Your password').waitFor();
  await checkA11y(page, 'sudo prompt');
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
  await checkA11y(page, 'contact address code');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Forgot password?' }).click();
  await checkA11y(page, 'password reset');
  await page.getByLabel("Your account's address").fill(ADDRESS);
  await page.getByRole('button', { name: 'Send me a code' }).click();
  await page.getByText('a code is on its way there').waitFor();
  await checkA11y(page, 'password reset code');
  await page.getByRole('button', { name: 'Back to sign-in' }).click();
  await page.getByLabel('Email address').fill(ADDRESS);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Code from your authenticator app, or a recovery code').waitFor();
  await checkA11y(page, 'TOTP step');
  await page.getByLabel('Code from your authenticator app, or a recovery code').fill(recovery[0]);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Last logins' }).waitFor();
  await page.keyboard.press('Tab');
});
