// Browser test of the media page of `rempart serve` (/media), with Debian's Chromium and
// playwright-core: check a photo, clean it, preview and hide faces, in English and French,
// with and without JavaScript.
//
//   REMPART_BIN=build/release/src/cli/rempart node --test tests/browser/media.spec.mjs
//
// No vault is made: the page works without one, and this proves it. The photo is written by
// make-photo.py (a test pattern with an Exif block naming a camera and a GPS position). As in
// vault.spec.mjs, nothing may leave the machine, no page may break its content policy, and
// the server log may hold no file name, address or user agent. Screenshots go to artifacts/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const artifacts = path.join(here, 'artifacts');
const BIN = process.env.REMPART_BIN;
if (!BIN) throw new Error('set REMPART_BIN; see the top of this file');

const SIZES = [
  { name: 'phone', width: 360, height: 740 },
  { name: 'desktop', width: 1280, height: 800 },
];
const PHOTO_NAME = 'holiday-photo.jpg';

let work;
let photo;
let server;
let serverLog = '';
let base;
let browser;
const external = [];
const pageProblems = [];

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
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<p>Weather: sunny.</p>' });
    }
    return route.abort();
  });
  context.on('page', (page) => {
    page.on('console', (message) => {
      if (message.type() === 'error') pageProblems.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => pageProblems.push(`${page.url()}: ${error.message}`));
  });
  return context;
}

async function capture(page, name) {
  const original = page.viewportSize();
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.screenshot({ path: path.join(artifacts, `${name}-${size.name}.png`), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${name} scrolls sideways at ${size.width}px by ${overflow}px`);
  }
  await page.setViewportSize(original);
}

// The JPEG's marker segments before its scan: [{ marker, data }], and the scan itself.
function jpegSegments(bytes) {
  assert.equal(bytes.readUInt16BE(0), 0xFFD8, 'starts with SOI');
  const segments = [];
  let at = 2;
  while (at + 4 <= bytes.length) {
    assert.equal(bytes[at], 0xFF, `a marker at ${at}`);
    const marker = bytes[at + 1];
    const length = bytes.readUInt16BE(at + 2);
    if (marker === 0xDA) return { segments, scan: bytes.subarray(at) };
    segments.push({ marker, data: bytes.subarray(at + 4, at + 2 + length) });
    at += 2 + length;
  }
  throw new Error('no scan in the JPEG');
}

async function choose(page, action, { file = photo, regions } = {}) {
  await page.getByLabel('Photo or video', { exact: true }).setInputFiles(file);
  if (regions !== undefined) await page.getByLabel(/Also hide these areas/).fill(regions);
  await page.getByRole('button', { name: action, exact: true }).click();
}

before(async () => {
  fs.mkdirSync(artifacts, { recursive: true });
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'rempart-media-'));
  photo = path.join(work, PHOTO_NAME);
  execFileSync('python3', [path.join(here, 'make-photo.py'), photo]);
  const port = Number(process.env.REMPART_PORT) || await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(BIN, ['--vault', path.join(work, 'no-vault.db'), 'serve', '--port', String(port)], {
    env: { ...process.env, REMPART_PASSPHRASE_FILE: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout.on('data', (d) => { serverLog += d; });
  server.stderr.on('data', (d) => { serverLog += d; });
  await waitForServer(`${base}/media`);
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
  fs.writeFileSync(path.join(artifacts, 'media-server.log'), serverLog);
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('check names the location, clean downloads the same picture without Exif', async () => {
  const context = await newContext();
  const page = await context.newPage();
  // Reached from the navigation of every page, even with no vault at all.
  await page.goto(`${base}/unlock`);
  await page.getByRole('link', { name: 'Check a photo or video' }).click();
  await page.waitForURL(`${base}/media`);
  await page.getByRole('link', { name: 'Quick exit' }).waitFor();
  await capture(page, 'media-01-form');

  const [checked] = await Promise.all([
    page.waitForResponse((r) => r.url() === `${base}/media` && r.request().method() === 'POST'),
    choose(page, 'Check'),
  ]);
  assert.equal(checked.status(), 200);
  assert.equal(checked.headers()['cache-control'], 'no-store');
  await page.waitForLoadState();
  const report = page.locator('section.media-results');
  await report.waitFor();
  const text = await report.innerText();
  assert.match(text, new RegExp(`What ${PHOTO_NAME} reveals`));
  assert.match(text, /Where it was taken/);
  assert.match(text, /48\.85821, 2\.29444/);
  assert.match(text, /Canon/);
  assert.match(text, /No face found/);
  await capture(page, 'media-02-report');

  // The report page asks for the file again: nothing was kept on the server.
  const [download] = await Promise.all([page.waitForEvent('download'), choose(page, 'Clean')]);
  assert.equal(download.suggestedFilename(), 'holiday-photo.clean.jpg');
  const saved = path.join(work, 'downloaded.jpg');
  await download.saveAs(saved);
  const cleaned = jpegSegments(fs.readFileSync(saved));
  const original = jpegSegments(fs.readFileSync(photo));
  assert.ok(original.segments.some((s) => s.marker === 0xE1), 'the original has an APP1');
  for (const segment of cleaned.segments) {
    assert.ok(!(segment.marker === 0xE1 && segment.data.subarray(0, 6).equals(Buffer.from('Exif\0\0', 'binary'))),
      'no Exif APP1 left');
  }
  assert.ok(!fs.readFileSync(saved).includes('Canon'));
  assert.ok(cleaned.scan.equals(original.scan), 'the scan data is byte for byte the same');
  await context.close();
});

test('preview faces shows the photo framed inline, hide faces downloads it redacted', async () => {
  const context = await newContext();
  const page = await context.newPage();
  await page.goto(`${base}/media`);
  const [previewed] = await Promise.all([
    page.waitForResponse((r) => r.url() === `${base}/media` && r.request().method() === 'POST'),
    choose(page, 'Preview faces', { regions: '10,10,30,20' }),
  ]);
  assert.equal(previewed.status(), 200);
  assert.match(previewed.headers()['content-security-policy'], /img-src 'self' data:/);
  const image = page.locator('figure.preview-image img');
  await image.waitFor();
  assert.ok(await image.evaluate((img) => img.complete && img.naturalWidth > 0), 'the preview loads');
  assert.match(await page.locator('ol.boxes').innerText(), /10,10,30,20 area/);
  assert.equal(await page.getByLabel(/Also hide these areas/).inputValue(), '10,10,30,20');
  await capture(page, 'media-03-preview');

  await page.getByLabel('Solid black').check();
  const [download] = await Promise.all([page.waitForEvent('download'), choose(page, 'Hide faces')]);
  assert.equal(download.suggestedFilename(), 'holiday-photo.redacted.jpg');
  const saved = path.join(work, 'redacted.jpg');
  await download.saveAs(saved);
  const { segments } = jpegSegments(fs.readFileSync(saved));
  assert.ok(!segments.some((s) => s.marker === 0xE1), 'no APP1 at all');

  // Other pages keep the strict policy.
  const form = await page.goto(`${base}/media`);
  assert.doesNotMatch(form.headers()['content-security-policy'], /data:/);
  await context.close();
});

test('a file that is not a photo gets a clear error, and the form again', async () => {
  const context = await newContext();
  const page = await context.newPage();
  await page.goto(`${base}/media`);
  const notes = path.join(work, 'notes.jpg');
  fs.writeFileSync(notes, 'not a photo, just text with a .jpg name');
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.url() === `${base}/media` && r.request().method() === 'POST'),
    choose(page, 'Check', { file: notes }),
  ]);
  assert.equal(answer.status(), 415);
  await page.waitForLoadState();
  assert.match(await page.locator('#media-error').innerText(), /Not a photo or video format Rempart knows/);
  await page.getByLabel('Photo or video', { exact: true }).waitFor();
  await capture(page, 'media-04-error');
  await context.close();
});

test('French, and without JavaScript', async () => {
  const context = await newContext({ locale: 'fr-FR', javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${base}/media`);
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  await page.getByRole('link', { name: 'Sortie rapide' }).waitFor();
  await page.locator('#file').setInputFiles(photo);
  await page.locator('button[value="check"]').click();
  await page.waitForLoadState();
  const report = await page.locator('section.media-results').innerText();
  assert.match(report, /Lieu de prise de vue/);
  assert.match(report, /48\.85821, 2\.29444/);
  assert.match(await page.locator('h1').innerText(), /Vérifiez une photo ou une vidéo/);
  await capture(page, 'media-05-report-fr');
  await context.close();
});

test('pages load nothing from elsewhere and break no content policy', () => {
  const unexpected = external.filter((url) => !url.startsWith('https://www.google.com/search?q=weather'));
  assert.deepEqual(unexpected, []);
  // Chromium reports every 4xx as a console error; the 415 for the text file is meant.
  const problems = pageProblems.filter((p) => !p.includes('status of 415') && !p.includes('status of 404'));
  assert.deepEqual(problems, []);
});

test('the server log holds no file name, address or user agent', async () => {
  const exited = new Promise((resolve) => server.once('exit', (code, signal) => resolve({ code, signal })));
  server.kill('SIGTERM');
  const { code } = await exited;
  assert.equal(code, 0, serverLog.split('\n').slice(-20).join('\n'));
  assert.doesNotMatch(serverLog, /holiday|notes\.jpg|HeadlessChrome|Mozilla|Chrome\//);
  const requests = serverLog.split('\n').filter((line) => /\] \[info\] (GET|POST|-) /.test(line));
  assert.ok(requests.length >= 8, 'requests are logged');
  for (const line of requests) {
    assert.match(line, /\] \[info\] (GET|POST|-) (\/[^ ]*|-) \d{3} \d+ms$/, line);
  }
});
