// web_browser.mjs -- the web map in a real browser: Debian's Chromium driven by
// playwright-core (web/package.json). Run by tests/cli_web.sh against a running
// `adizwatch serve` replaying tests/fixtures/web_tracks.csv over builtin:east-asia.
//
// usage: node web_browser.mjs URL SCREENSHOT.png USER_DATA_DIR WEB_DIR KADIZ_ENTRY
// KADIZ_ENTRY: when 780a1b enters the KADIZ (epoch seconds), as tests/zone_oracle.py
// finds it independently of adizwatch.
// Prints "ok: ..." / "FAIL: ..." lines like testlib.sh; exits 1 on any failure.
import { createRequire } from 'node:module';
import path from 'node:path';

const [url, shot, userDataDir, webDir, kadizEntry] = process.argv.slice(2);
// The first HH:MM:SSZ in text is the oracle's entry time, to the contract's 0.5 s and the
// display's second (truncated or rounded).
const entryTime = Number(kadizEntry) % 86400;
const showsEntry = (text) => {
  const m = /(\d\d):(\d\d):(\d\d)Z/.exec(text);
  return m !== null && Math.abs(Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) - entryTime) <= 1.5;
};
const hms = new Date(Number(kadizEntry) * 1000).toISOString().slice(11, 19) + 'Z';
const require = createRequire(path.join(webDir, 'package.json'));
const { chromium } = require('playwright-core');

let failures = 0;
const ok = (m) => console.log('ok: ' + m);
const fail = (m) => { failures++; console.log('FAIL: ' + m); };
const check = (cond, m) => (cond ? ok(m) : fail(m));

const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1600, height: 1000 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const page = context.pages()[0] || (await context.newPage());
const origin = new URL(url).origin;
const foreign = [], errors = [];
page.on('request', (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) foreign.push(r.url()); });
page.on('pageerror', (e) => errors.push(String(e)));
page.on('requestfailed', (r) => { if (!r.url().endsWith('/api/stream')) errors.push('request failed: ' + r.url()); });

async function waitFor(fn, arg, ms, what) {
  try {
    await page.waitForFunction(fn, arg, { timeout: ms, polling: 200 });
    return true;
  } catch (e) {
    fail(what + ' (timed out after ' + ms + ' ms)');
    return false;
  }
}

try {
  await page.goto(url, { waitUntil: 'load' });

  // Zones drawn: every zone of the theater is a layer with its label; land is drawn.
  if (await waitFor(() => window.aw && aw.zones > 0 && aw.land, null, 15000, 'zones and land drawn')) {
    const z = await page.evaluate(() => ({
      zones: aw.zones, ids: aw.zoneIds, layers: aw.zoneLayer.getLayers().length,
      labels: [...document.querySelectorAll('.leaflet-tooltip.zone-label')].map((e) => e.textContent),
    }));
    check(z.zones >= 10 && z.layers === z.zones && z.ids.includes('TA-KR'),
      `zones drawn (${z.zones} layers, territorial airspace included)`);
    check(['KADIZ', 'JADIZ', 'CADIZ-ECS', 'TWADIZ'].every((id) => z.labels.includes(id)),
      'ADIZ labels KADIZ, JADIZ, CADIZ-ECS, TWADIZ on the map');
  }

  // Tracks visible and moving.
  if (await waitFor(() => aw.ready && aw.tracks.size >= 5 && aw.drawn >= 5, null, 15000, 'tracks visible')) {
    ok('5 tracks received and drawn in view');
    const before = await page.evaluate(() => { const t = aw.tracks.get('780a1b'); return [t.lat, t.lon, aw.updates]; });
    await waitFor((u) => aw.updates >= u + 2, before[2], 10000, 'track updates keep coming');
    const after = await page.evaluate(() => { const t = aw.tracks.get('780a1b'); return [t.lat, t.lon]; });
    check(after[0] > before[0], `track 780a1b moved north (${before[0].toFixed(3)} -> ${after[0].toFixed(3)})`);
    const label = await page.evaluate(() => aw.tracks.get('71be17').p.label);
    check(label === 'PEACE1 Boeing 737 AEW&C KR', `label from the aircraft database: "${label}"`);
  }

  // The replay clock's speed control: 60x from the button, read back from the server.
  await page.click('#replay button[data-speed="60"]');
  const speed = await page.evaluate(async () => (await (await fetch('/api/stats')).json()).feed.speed);
  check(speed === 60, `speed button sets the replay speed (${speed})`);
  await waitFor(() => document.querySelector('#replay button[data-speed="60"]').classList.contains('on'),
    null, 5000, 'speed button shown as on');

  // An ADIZ entry alert, with time and place.
  if (await waitFor(() => [...document.querySelectorAll('#alerts li.enter.adiz')]
    .some((li) => li.textContent.includes('780a1b') && li.textContent.includes('ENTERED KADIZ')),
  null, 60000, 'ADIZ entry alert for 780a1b')) {
    const text = await page.evaluate(() => [...document.querySelectorAll('#alerts li.enter.adiz')]
      .find((li) => li.textContent.includes('780a1b') && li.textContent.includes('KADIZ')).textContent);
    ok('alert: ' + text);
    check(showsEntry(text), `alert has the crossing time (${hms} by the oracle)`);
    check(/\d+ km [NESW]{1,3} of Ieodo/.test(text), 'alert describes the place relative to Ieodo');
  }

  // A click on a track opens its details: identification, zones, dwell, depth.
  const pt = await page.evaluate(() => {
    const t = aw.tracks.get('780a1b');
    const r = aw.map.getContainer().getBoundingClientRect();
    return { x: r.left + t.px, y: r.top + t.py };
  });
  await page.mouse.click(pt.x, pt.y);
  if (await waitFor(() => !document.getElementById('details').hidden &&
      document.getElementById('d-title').textContent.includes('780a1b') &&
      document.getElementById('d-zones').textContent.includes('KADIZ'), null, 10000,
  'details open on click')) {
    const d = await page.evaluate(() => document.getElementById('details').innerText);
    ok('details shown on click');
    check(/China \(CN, from icao-address\)/.test(d), 'details: nation from the ICAO address');
    check(/UNIDENTIFIED/.test(d), 'details: no callsign, no squawk -> unidentified');
    const since = /KADIZ\s+(\d\d:\d\d:\d\dZ)\s+\d+m\d\ds\s+\d+\.\d km/.exec(d);
    check(since !== null && showsEntry(since[1]), `details: KADIZ since ${hms} (the oracle's) with dwell and depth`);
  }
  await page.waitForTimeout(500);
  await page.screenshot({ path: shot });
  ok('screenshot saved: ' + shot);
  check(foreign.length === 0, 'no request left the server (offline map)' + (foreign.length ? ': ' + foreign[0] : ''));
  check(errors.length === 0, 'no page errors' + (errors.length ? ': ' + errors.join('; ') : ''));
} catch (e) {
  fail('browser test: ' + e);
} finally {
  await context.close();
}
process.exit(failures ? 1 : 0);
