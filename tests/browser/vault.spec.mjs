// Browser test of `rempart serve` over a real vault, with Debian's Chromium and playwright-core.
//
//   REMPART_BIN=build/release/src/cli/rempart \
//   REMPART_VAULT=/tmp/v/vault.db REMPART_PASSPHRASE_FILE=/tmp/v/passphrase \
//   node --test tests/browser/vault.spec.mjs
//
// The vault comes prepared (tests/browser/make-vault.sh makes one with the CLI): a case 1 with
// an image, a message, a link and a note. Optional: REMPART_PORT (else a free one),
// REMPART_PASSPHRASE (instead of the file). Screenshots at 360x740 and 1280x800 go to
// tests/browser/artifacts/. No request leaves the machine: every request to another host is
// answered by a stub page (navigations) or aborted (anything else), and recorded.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const artifacts = path.join(here, 'artifacts');
const BIN = process.env.REMPART_BIN;
const VAULT = process.env.REMPART_VAULT;
const PASSPHRASE = process.env.REMPART_PASSPHRASE ??
  (process.env.REMPART_PASSPHRASE_FILE
    ? fs.readFileSync(process.env.REMPART_PASSPHRASE_FILE, 'utf8').split('\n')[0]
    : undefined);
if (!BIN || !VAULT || !PASSPHRASE) {
  throw new Error('set REMPART_BIN, REMPART_VAULT and REMPART_PASSPHRASE(_FILE); see the top of this file');
}

const SIZES = [
  { name: 'phone', width: 360, height: 740 },
  { name: 'desktop', width: 1280, height: 800 },
];

let server;
let serverLog = '';
let base;
let browser;
const external = [];    // every request that tried to leave the machine
const pageProblems = []; // console errors (CSP violations show up here) and script errors

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitForServer(url, ms = 20000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`rempart serve exited:\n${serverLog}`);
    try {
      const r = await fetch(url, { redirect: 'manual' });
      if (r.status > 0) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`rempart serve did not answer in time:\n${serverLog}`);
}

async function newContext(options = {}) {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    acceptDownloads: true,
    locale: 'en-GB',
    ...options,
  });
  await context.route('**/*', (route) => {
    const request = route.request();
    const url = new URL(request.url());
    if (url.host === new URL(base).host) return route.continue();
    external.push(url.href);
    if (request.isNavigationRequest()) {
      return route.fulfill({
        status: 200,
        contentType: 'text/html',
        body: '<!doctype html><title>Weather</title><p>Weather: sunny.</p>',
      });
    }
    return route.abort();
  });
  context.on('page', watch);
  return context;
}

function watch(page) {
  page.on('console', (message) => {
    if (message.type() === 'error') pageProblems.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => pageProblems.push(`${page.url()}: ${error.message}`));
}

async function capture(page, name) {
  const original = page.viewportSize();
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.screenshot({ path: path.join(artifacts, `${name}-${size.name}.png`), fullPage: true });
    // Nothing may stick out sideways on a small phone.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${name} scrolls sideways at ${size.width}px by ${overflow}px`);
  }
  await page.setViewportSize(original);
}

async function unlock(page) {
  await page.goto(`${base}/unlock`);
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.waitForURL(`${base}/cases`);
}

before(async () => {
  fs.mkdirSync(artifacts, { recursive: true });
  const port = Number(process.env.REMPART_PORT) || await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(BIN, ['--vault', VAULT, 'serve', '--port', String(port)], {
    env: { ...process.env, REMPART_PASSPHRASE_FILE: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout.on('data', (d) => { serverLog += d; });
  server.stderr.on('data', (d) => { serverLog += d; });
  await waitForServer(`${base}/unlock`);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  fs.writeFileSync(path.join(artifacts, 'server.log'), serverLog);
});

test('unlock, browse, download the bundle', async () => {
  const context = await newContext();
  const page = await context.newPage();

  await page.goto(`${base}/`);
  assert.equal(new URL(page.url()).pathname, '/unlock');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await assert.doesNotReject(page.getByRole('link', { name: 'Quick exit' }).waitFor());
  await capture(page, '01-unlock');

  // A wrong passphrase: the form again, the error next to the field, HTTP 401.
  await page.getByLabel('Passphrase').fill('not my passphrase');
  const [wrong] = await Promise.all([
    page.waitForResponse((r) => r.url() === `${base}/unlock` && r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Unlock' }).click(),
  ]);
  assert.equal(wrong.status(), 401);
  await page.waitForLoadState();
  const error = page.locator('#passphrase-error');
  assert.match(await error.innerText(), /does not open the vault/);
  assert.equal(await page.getByLabel('Passphrase').getAttribute('aria-invalid'), 'true');
  await capture(page, '02-wrong-passphrase');

  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.waitForURL(`${base}/cases`);
  const caseLink = page.getByRole('link', { name: 'Threats on Instagram' });
  await caseLink.waitFor();
  assert.match(await page.locator('main').innerText(), /Entries: 4/);
  await capture(page, '03-cases');

  await caseLink.click();
  await page.waitForURL(`${base}/cases/1`);
  const entries = page.locator('ol.entries > li');
  assert.equal(await entries.count(), 4);
  assert.match(await entries.nth(1).innerText(), /@stranger_42 on Instagram/);
  const thumbnail = page.locator('a.thumb img').first();
  await thumbnail.waitFor();
  assert.ok(await thumbnail.evaluate((img) => img.complete && img.naturalWidth > 0), 'thumbnail loads');
  await capture(page, '04-case');

  await page.getByRole('link', { name: /#2\s+Message/ }).click();
  await page.waitForURL(`${base}/entries/2`);
  const text = await page.locator('pre.message').innerText();
  assert.match(text, /<b>tonight<\/b>/, 'markup in a message is shown as text');
  assert.equal(await page.locator('main b').count(), 0);
  await capture(page, '05-message');

  await page.goto(`${base}/entries/1`);
  const image = page.locator('figure.evidence-image img');
  await image.waitFor();
  assert.ok(await image.evaluate((img) => img.complete && img.naturalWidth === 2));
  await capture(page, '06-image');

  await page.goto(`${base}/cases/1`);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: /Download the evidence bundle/ }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'case-1-bundle.zip');
  const zip = path.join(artifacts, 'case-1-bundle.zip');
  await download.saveAs(zip);
  const listing = execFileSync('unzip', ['-l', zip], { encoding: 'utf8' });
  assert.match(listing, /manifest\.json/);
  assert.match(listing, /report\.pdf/);

  await context.close();
});

test('language switch to French', async () => {
  const context = await newContext();
  const page = await context.newPage();
  await page.goto(`${base}/unlock`);
  await page.getByRole('link', { name: 'Français' }).click();
  await page.waitForURL(`${base}/unlock?lang=fr`);
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  await page.getByRole('link', { name: 'Sortie rapide' }).waitFor();
  assert.match(await page.locator('h1').innerText(), /Déverrouiller/);
  await capture(page, '07-unlock-fr');
  // Remembered in a cookie: the next page is French without ?lang.
  await page.getByLabel('Phrase secrète').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Déverrouiller' }).click();
  await page.waitForURL(`${base}/cases`);
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  assert.match(await page.locator('main').innerText(), /Éléments\s:\s4/);
  await capture(page, '08-cases-fr');
  await page.goto(`${base}/entries/2`);
  await capture(page, '09-message-fr');
  await page.getByRole('link', { name: 'English' }).click();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await context.close();
});

test('quick exit leaves at once, locks the vault, and Back does not return', async () => {
  const context = await newContext();
  const page = await context.newPage();
  await unlock(page);
  await page.goto(`${base}/cases/1`);
  await page.getByRole('link', { name: 'Quick exit' }).click();
  await page.waitForURL((url) => url.hostname !== '127.0.0.1');
  assert.match(page.url(), /^https:\/\/www\.google\.com\/search\?q=weather/);
  // The exit replaced the case page in history, and the beacon locked the vault, so Back
  // lands on the unlock form, not on evidence.
  await page.waitForTimeout(300);
  await page.goBack();
  await page.waitForLoadState();
  assert.equal(new URL(page.url()).pathname, '/unlock', `Back went to ${page.url()}`);
  await context.close();
});

test('pressing Escape three times leaves too', async () => {
  const context = await newContext();
  const page = await context.newPage();
  await unlock(page);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  assert.equal(new URL(page.url()).pathname, '/cases', 'two presses are not enough');
  await page.keyboard.press('Escape');
  await page.waitForURL((url) => url.hostname !== '127.0.0.1');
  await context.close();
});

test('works without JavaScript', async () => {
  const context = await newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await unlock(page);
  await page.getByRole('link', { name: 'Threats on Instagram' }).click();
  await page.waitForURL(`${base}/cases/1`);
  await page.getByRole('button', { name: 'Lock the vault' }).click();
  await page.waitForURL(/\/unlock\?locked=1$/);
  await page.getByRole('link', { name: 'Quick exit' }).click();
  await page.waitForURL((url) => url.hostname === 'www.google.com');
  await context.close();
});

test('pages load nothing from elsewhere and break no content policy', () => {
  const unexpected = external.filter((url) => !url.startsWith('https://www.google.com/search?q=weather'));
  assert.deepEqual(unexpected, []);
  // Chromium reports every 4xx as a console error; the wrong-passphrase 401 is meant.
  const problems = pageProblems.filter((p) => !p.includes('google.com') && !p.includes('status of 401'));
  assert.deepEqual(problems, []);
});

test('SIGTERM stops the server cleanly', async () => {
  const exited = new Promise((resolve) => server.once('exit', (code, signal) => resolve({ code, signal })));
  server.kill('SIGTERM');
  const { code, signal } = await exited;
  assert.equal(signal, null, 'exits by itself rather than being killed');
  assert.equal(code, 0, serverLog.split('\n').slice(-20).join('\n'));
});

test('the server log holds no user agent and no client address', () => {
  assert.doesNotMatch(serverLog, /HeadlessChrome|Mozilla|Chrome\//);
  const requests = serverLog.split('\n').filter((line) => /\] \[info\] (GET|POST|-) /.test(line));
  assert.ok(requests.length > 10, 'requests are logged');
  for (const line of requests) {
    assert.match(line, /\] \[info\] (GET|POST|-) (\/[^ ]*|-) \d{3} \d+ms$/, line);
  }
});
