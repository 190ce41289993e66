// NAME
//   lib.mjs - what the browser tests share: Debian's Chromium driven by
//   playwright-core, run with a check that no page saw a console error, a
//   page error or a CSP violation; the sign-in, TOTP enrolment with a code
//   computed from the key the page shows, an app password, an IMAP login
//   with curl, and the accessibility check (axe-core, WCAG 2.1 A and AA) of
//   what a page shows, at a phone's width and a desktop's.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const kWcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
export const kPhone = { width: 390, height: 844 };
export const kDesktop = { width: 1280, height: 900 };

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

export function totp(secret) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30)));
  const mac = crypto.createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, '0');
}

export function imapLogin(port, user, password) {
  execFileSync('curl', ['--silent', '--show-error', '--insecure', '--max-time', '30',
    '--user', `${user}:${password}`, `imaps://127.0.0.1:${port}/`, '--request', 'NOOP']);
}

function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

// Runs test(browser, problems) in a fresh Chromium; then `problems` (see
// newPage) must be empty. Says "browser test passed", or what the pages saw.
export async function withBrowser(test) {
  const problems = [];
  const browser = await launch();
  try {
    await test(browser, problems);
    assert.deepEqual(problems, []);
    console.log('browser test passed');
  } catch (e) {
    console.error(`seen in the page:\n${problems.join('\n')}`);
    throw e;
  } finally {
    await browser.close();
  }
}

// A page in a new context (a phone's width unless `options` say otherwise)
// whose console errors, page errors and CSP violations go to `problems`,
// each named with `name`.
export async function newPage(browser, problems, name, options = {}) {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true, viewport: kPhone, ...options,
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`${name} console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`${name} page error: ${e.message}`));
  return page;
}

export async function signIn(page, url, address, password) {
  await page.goto(`${url}/account/`);
  await page.getByLabel('Email address').fill(address);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

// Turns TOTP on in My account with a code computed from the key the page shows;
// returns the recovery codes.
export async function enrolTotp(page) {
  await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
  // Locators and evaluate, not waitForFunction: its polling evals a string, which the CSP refuses.
  await page.locator('#totp-secret', { hasText: /[A-Z2-7]/ }).waitFor();
  await page.locator('#totp-qr').evaluate((img) => img.decode());
  const secret = (await page.locator('#totp-secret').textContent()).trim();
  if (!/^[A-Z2-7]+$/.test(secret)) throw new Error(`not a base32 key: ${secret}`);
  if (!await page.locator('#totp-qr').evaluate((img) => img.complete && img.naturalWidth > 0)) {
    throw new Error('the QR code did not load');
  }
  await checkA11y(page, 'TOTP enrolment');
  await page.getByLabel('Code shown by the app').fill(totp(secret));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await page.locator('#recovery-list li').first().waitFor();
  return page.locator('#recovery-list li').allTextContents();
}

// Creates an app password named `name` in My account and returns its text.
export async function createAppPassword(page, name) {
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Create app password' }).click();
  await page.locator('#apw-new').waitFor();
  return (await page.locator('#apw-text').textContent()).trim();
}

// The rules of WCAG 2.1 A and AA that axe-core finds broken in the page as it is now.
async function axeViolations(page) {
  // Through the DevTools protocol, as the page's own CSP stays on: not a <script> element.
  if (!await page.evaluate(() => typeof window.axe === 'object')) await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'],
    });
    return result.violations.flatMap((v) => v.nodes.map((n) =>
      `${v.id} (${v.impact}) at ${n.target.join(' ')}: ${v.help}`));
  }, kWcagTags);
}

// Fails, naming each rule, its impact, the element and the rule's help, if
// axe-core finds a WCAG 2.1 A or AA violation in what the page shows (`where`),
// at a phone's width and at a desktop's; the page keeps its size.
export async function checkA11y(page, where) {
  const size = page.viewportSize();
  const found = [];
  for (const [name, viewport] of [['phone', kPhone], ['desktop', kDesktop]]) {
    await page.setViewportSize(viewport);
    for (const v of await axeViolations(page)) found.push(`${where}, ${name} width: ${v}`);
  }
  await page.setViewportSize(size);
  if (found.length) assert.fail(`accessibility of ${where}:\n${found.join('\n')}`);
}
