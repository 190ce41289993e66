// NAME
//   keyboard.mjs - My account with the keyboard only, in a real Chromium
//   (Debian's, driven by playwright-core): typing, Tab, Shift+Tab, Enter,
//   Space and Escape, no click. Sign in (focus then on the page's title),
//   reach "Export my data"; the sudo prompt is a modal dialog that takes
//   focus, closes with Escape and gives focus back to the button; opened
//   again, it confirms with the password and the export downloads, focus
//   back on the button; then sign out. Every
//   element focused on the way shows the focus ring (:focus-visible with an
//   outline). Fails on any console error, page error or CSP violation.
//
// SYNOPSIS
//   WEB_URL=https://127.0.0.1:PORT ADDRESS=... PASSWORD=... node keyboard.mjs
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { newPage, withBrowser } from './lib.mjs';

const { WEB_URL, ADDRESS, PASSWORD } = process.env;

// The focused element: its id, its name as a button says it, and whether its focus shows.
function focused(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    const style = getComputedStyle(e);
    return {
      id: e.id, text: (e.getAttribute('aria-label') || e.textContent).trim(),
      ring: e !== document.body && e.matches(':focus-visible') && style.outlineStyle !== 'none' &&
        parseFloat(style.outlineWidth) >= 2,
    };
  });
}

async function expectFocus(page, id) {
  await page.locator(`#${id}:focus`).waitFor();
  const f = await focused(page);
  assert.equal(f.id, id, JSON.stringify(f));
  assert.ok(f.ring, `no focus ring on #${id}`);
}

// Presses `key` until the element `id` has focus; each one on the way shows its focus.
async function moveTo(page, key, id) {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press(key);
    const f = await focused(page);
    assert.ok(f.ring, `no focus ring on ${JSON.stringify(f)}`);
    if (f.id === id) return;
  }
  assert.fail(`#${id} not reached with ${key}`);
}

function sudoOpen(page) {
  return page.locator('#sudo').evaluate((d) => d.open);
}

await withBrowser(async (browser, problems) => {
  const page = await newPage(browser, problems, 'keyboard');
  await page.goto(`${WEB_URL}/account/`);
  await page.getByLabel('Email address').waitFor();
  await expectFocus(page, 'address');  // the sign-in screen puts the cursor in its first field
  await page.keyboard.type(ADDRESS);
  await page.keyboard.press('Tab');
  await expectFocus(page, 'password');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).text, 'Sign in');
  await page.keyboard.press('Shift+Tab');
  await expectFocus(page, 'password');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Last logins' }).waitFor();
  await expectFocus(page, 'title');  // the sign-in form is gone: focus on the page's title

  // The sudo prompt: focus in it at once, Escape drops it and focus returns to the button.
  await moveTo(page, 'Tab', 'export');
  await page.keyboard.press('Enter');
  await page.locator('#sudo[open]').waitFor();
  await expectFocus(page, 'sudo-password');
  assert.ok(await page.getByRole('dialog', { name: 'Confirm it is you' }).isVisible());
  for (const id of ['sudo-code', 'sudo-cancel']) await moveTo(page, 'Tab', id);
  await moveTo(page, 'Shift+Tab', 'sudo-password');
  await page.keyboard.press('Escape');
  await page.locator('#sudo').waitFor({ state: 'hidden' });
  assert.equal(await sudoOpen(page), false);
  await expectFocus(page, 'export');

  // Opened again with Space, confirmed with the password: the export downloads.
  await page.keyboard.press('Space');
  await page.locator('#sudo[open]').waitFor();
  await expectFocus(page, 'sudo-password');
  await page.keyboard.type(PASSWORD);
  await moveTo(page, 'Tab', 'sudo-code');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).text, 'Confirm');
  const download = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  const tar = fs.readFileSync(await (await download).path());
  assert.equal(tar.subarray(0, 12).toString(), 'account.json');
  assert.equal(await sudoOpen(page), false);
  await expectFocus(page, 'export');

  await moveTo(page, 'Shift+Tab', 'sign-out');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await expectFocus(page, 'address');
});
