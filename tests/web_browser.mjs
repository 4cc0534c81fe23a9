// web_browser.mjs -- the web map in a real browser: Debian's Chromium driven by
// playwright-core (web/package.json). Run by tests/cli_web.sh against a running
// `adizwatch serve` replaying tests/fixtures/web_tracks.csv over builtin:east-asia.
//
// The server runs with --token-file and a zone whose id and name are markup
// (<img src=x onerror=...>): the page must show them as text, and offer the speed
// buttons only after signing in with the token.
//
// usage: node web_browser.mjs URL SCREENSHOT.png USER_DATA_DIR WEB_DIR TOKEN KADIZ_ENTRY [tour|after]
// KADIZ_ENTRY: when 780a1b enters the KADIZ (epoch seconds), as tests/zone_oracle.py
// finds it independently of adizwatch. "after" runs the checks made once the replay has
// ended (zones at run time, the time slider).
// Prints "ok: ..." / "FAIL: ..." lines like testlib.sh; exits 1 on any failure.
import { createRequire } from 'node:module';
import path from 'node:path';

const [url, shot, userDataDir, webDir, token, kadizEntry, mode = 'tour'] = process.argv.slice(2);
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
  timezoneId: 'Asia/Seoul', // the local-time switch is checked against UTC+9
  // The page's Content-Security-Policy forbids eval, which waitForFunction with an
  // argument uses; bypassing it also means the XSS check below tests the escaping alone.
  bypassCSP: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const page = context.pages()[0] || (await context.newPage());
const origin = new URL(url).origin;
const foreign = [], errors = [];
page.on('request', (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) foreign.push(r.url()); });
page.on('pageerror', (e) => errors.push(String(e)));
page.on('requestfailed', (r) => { if (!r.url().endsWith('/api/stream')) errors.push('request failed: ' + r.url()); });

// How long a wait for the page may take: a condition is polled and the wait ends as soon
// as it holds, so this only bounds a loaded machine (or ThreadSanitizer's server).
const SLOW = 30000;

async function waitFor(fn, arg, ms, what) {
  try {
    await page.waitForFunction(fn, arg, { timeout: ms, polling: 200 });
    return true;
  } catch (e) {
    fail(what + ' (' + (/Timeout/.test(String(e)) ? 'timed out after ' + ms + ' ms' : String(e).split('\n')[0]) + ')');
    return false;
  }
}

async function tour() {
  // Zones drawn: every zone of the theater is a layer with its label; land is drawn.
  if (await waitFor(() => window.aw && aw.zones > 0 && aw.land, null, SLOW, 'zones and land drawn')) {
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
  if (await waitFor(() => aw.ready && aw.tracks.size >= 5 && aw.drawn >= 5, null, SLOW, 'tracks visible')) {
    ok('5 tracks received and drawn in view');
    const before = await page.evaluate(() => { const t = aw.tracks.get('780a1b'); return [t.lat, t.lon, aw.updates]; });
    await waitFor((u) => aw.updates >= u + 2, before[2], SLOW, 'track updates keep coming');
    const after = await page.evaluate(() => { const t = aw.tracks.get('780a1b'); return [t.lat, t.lon]; });
    check(after[0] > before[0], `track 780a1b moved north (${before[0].toFixed(3)} -> ${after[0].toFixed(3)})`);
    const label = await page.evaluate(() => aw.tracks.get('71be17').p.label);
    check(label === 'PEACE1 Boeing 737 AEW&C KR', `label from the aircraft database: "${label}"`);
  }

  // The replay clock's speed control: 60x from the button, read back from the server.
  // (the page's POST is asynchronous: the server's speed is read once the button shows on,
  // which the page sets from the server's stats)
  await page.click('#replay button[data-speed="60"]');
  await waitFor(() => document.querySelector('#replay button[data-speed="60"]').classList.contains('on'),
    null, SLOW, 'speed button shown as on');
  const speed = await page.evaluate(async () => (await (await fetch('/api/stats')).json()).feed.speed);
  check(speed === 60, `speed button sets the replay speed (${speed})`);

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
      document.getElementById('d-zones').textContent.includes('KADIZ'), null, SLOW,
  'details open on click')) {
    const d = await page.evaluate(() => document.getElementById('details').innerText);
    ok('details shown on click');
    check(/China \(CN, from icao-address\)/.test(d), 'details: nation from the ICAO address');
    check(/UNIDENTIFIED/.test(d), 'details: no callsign, no squawk -> unidentified');
    const since = /KADIZ\s+(\d\d:\d\d:\d\dZ)\s+\d+m\d\ds\s+\d+\.\d km/.exec(d);
    check(since !== null && showsEntry(since[1]), `details: KADIZ since ${hms} (the oracle's) with dwell and depth`);
  }

  // serve --advise: the scramble advice for 780a1b heading into KADIZ, listed and drawn.
  if (await waitFor(() => aw.adviceLoaded && [...document.querySelectorAll('#advice li')]
    .some((li) => li.dataset.track === '780a1b' && /SCRAMBLE KR: \w/.test(li.textContent)), null, SLOW,
  'scramble advice for 780a1b listed')) {
    const adv = await page.evaluate(() => ({ drawn: aw.adviceDrawn, hidden: document.getElementById('advice-box').hidden,
      text: [...document.querySelectorAll('#advice li')].find((li) => li.dataset.track === '780a1b' &&
        li.textContent.includes('SCRAMBLE KR')).textContent }));
    ok('advice: ' + adv.text);
    check(!adv.hidden && adv.drawn >= 1, `advice drawn: ${adv.drawn} base-to-intercept lines`);
    check(/KADIZ in \d+m\d\ds/.test(adv.text) && /intercept \d\d:\d\d:\d\dZ (before|after)/.test(adv.text),
      'advice gives the time to the zone and the intercept');
  }

  // Alerts: newest first; own traffic (Korean aircraft in Korea's zones, Japanese in
  // Japan's) is not alerted, and history and live alerts carry type and nation alike.
  const al = await page.evaluate(() => ({
    times: aw.events.map((e) => e.time),
    tracks: [...document.querySelectorAll('#alerts li')].map((li) => li.dataset.track + ' ' + li.textContent),
    count: document.getElementById('alert-count').textContent,
  }));
  check(al.times.length > 0 && al.times.every((t, i) => i === 0 || al.times[i - 1] >= t),
    `alerts newest first (${al.times.length})`);
  check(!al.tracks.some((t) => /^71be17 .*(KADIZ|TA-KR)/.test(t)) && !al.tracks.some((t) => /^86d1f3 .*(JADIZ|TA-JP)/.test(t)),
    'no alert for own traffic (71be17 in KADIZ/TA-KR, 86d1f3 in JADIZ/TA-JP)');
  check(/own\/friendly not alerted/.test(al.count), 'own traffic counted as not alerted: ' + al.count);
  check(al.tracks.some((t) => /^780a1b .*CN.*ENTERED KADIZ/.test(t)), 'the KADIZ alert names the nation (CN)');

  // The aircraft table: every track, sortable, filterable, and linked to the map.
  const tableRows = () => page.evaluate(() => [...document.querySelectorAll('#aircraft tbody tr')]
    .map((tr) => [...tr.cells].map((c) => c.textContent)));
  let rows = await tableRows();
  check(rows.length === 5, `aircraft table lists the 5 tracks (${rows.length})`);
  await page.click('#aircraft th[data-key="alt"]');
  rows = await tableRows();
  const fls = rows.map((r) => Number(r[3].slice(2)));
  check(fls.every((v, i) => i === 0 || fls[i - 1] <= v), 'sorted by flight level: ' + fls.join(' '));
  await page.click('#aircraft th[data-key="alt"]');
  rows = await tableRows();
  check(Number(rows[0][3].slice(2)) >= Number(rows[4][3].slice(2)), 'a second click sorts descending');
  await page.fill('#f-nation', 'CN');
  rows = await tableRows();
  const drawnCN = await page.evaluate(() => { aw.draw(); return aw.drawn; });
  check(rows.length === 1 && rows[0][2] === 'CN' && drawnCN === 1, `nation filter: table ${rows.length}, map ${drawnCN}`);
  check((await page.evaluate(() => location.hash)).includes('nation=CN'), 'the filter is in the URL');
  await page.fill('#f-nation', '');
  await page.selectOption('#f-mil', 'mil');
  rows = await tableRows();
  check(rows.length >= 1 && rows.every((r) => r[0] === 'PEACE1' || r[1] !== ''), `military filter (${rows.length} rows)`);
  await page.selectOption('#f-mil', '');
  await page.fill('#f-altmin', '340');
  rows = await tableRows();
  check(rows.length >= 1 && rows.every((r) => Number(r[3].slice(2)) >= 340), `altitude filter FL>=340 (${rows.length} rows)`);
  await page.fill('#f-altmin', '');
  await page.fill('#f-zone', 'KADIZ');
  rows = await tableRows();
  check(rows.length >= 1 && rows.every((r) => r[4].includes('KADIZ')), `zone filter (${rows.length} rows)`);
  await page.fill('#f-zone', '');
  await page.click('#aircraft tbody tr[data-track="71be17"]');
  await waitFor(() => aw.selected === '71be17' && document.getElementById('d-title').textContent.includes('PEACE1'),
    null, SLOW, 'a table row selects its track');
  check((await page.evaluate(() => location.hash)).includes('sel=71be17'), 'the selection is in the URL');

  // UTC / local time (the browser is in Asia/Seoul, UTC+9).
  const utc = await page.evaluate(() => document.getElementById('clock').textContent);
  await page.click('#tz');
  const loc = await page.evaluate(() => ({ clock: document.getElementById('clock').textContent,
    date: document.getElementById('date').textContent,
    alert: [...document.querySelectorAll('#alerts li')].find((li) => li.textContent.includes('ENTERED KADIZ') &&
      li.dataset.track === '780a1b').querySelector('.t').textContent }));
  const h = (t) => Number(t.slice(0, 2));
  check(/Z$/.test(utc) && !/Z$/.test(loc.clock) && (h(utc) + 9) % 24 === h(loc.clock) && /\+09:00/.test(loc.date),
    `local time: ${utc} UTC shown as ${loc.clock} ${loc.date}`);
  const [lh, lm, ls] = loc.alert.split(':').map(Number);
  const localSecs = ((lh - 9 + 24) % 24) * 3600 + lm * 60 + ls;
  check(/^\d\d:\d\d:\d\d$/.test(loc.alert) && Math.abs(localSecs - entryTime) <= 1.5,
    `alert times follow the switch (${loc.alert} local for ${hms})`);
  check((await page.evaluate(() => location.hash)).includes('tz=local'), 'the time zone is in the URL');
  await page.click('#tz');

  // Labels: none overlaps another; a formation is one label with its count, shown
  // member by member once one of them is selected.
  const lab = await page.evaluate(() => {
    const overlap = (ls) => ls.some((a, i) => ls.some((b, j) => j > i && a.x < b.x + b.w && b.x < a.x + a.w &&
      a.y < b.y + b.h && b.y < a.y + a.h));
    const live = overlap(aw.labels);
    const mk = (id, px, py, hd, cs) => ({ id, px, py, p: { id, callsign: cs, heading_deg: hd, alt_ft: 30000,
      type: 'Xian H-6K', nation: 'CN', military: true, unidentified: true, zones: [] } });
    const pair = [mk('a1', 400, 300, 45, 'H6K01'), mk('a2', 410, 306, 47, 'H6K02'), mk('b1', 800, 300, 200, 'CCA1')];
    const w = () => 80;
    const one = aw.layoutLabels(pair, null, w);
    const expanded = aw.layoutLabels(pair, 'a2', w);
    const crowd = [];
    for (let i = 0; i < 60; i++) crowd.push(mk('c' + i, 300 + (i % 10) * 30, 300 + Math.floor(i / 10) * 20, (i * 37) % 360, 'C' + i));
    const dense = aw.layoutLabels(crowd, null, w);
    return { live, n: aw.labels.length, one: one.map((l) => l.line1), expanded: expanded.map((l) => l.line1),
      dense: dense.length, denseOverlap: overlap(dense) };
  });
  check(lab.n >= 1 && !lab.live, `${lab.n} labels on the map, none overlapping`);
  check(lab.one.includes('H6K01 \u00d72') && lab.one.length === 2, 'a formation of two is one label: ' + lab.one.join(', '));
  check(lab.expanded.includes('H6K01') && lab.expanded.includes('H6K02'), 'selecting a member expands the formation: ' + lab.expanded.join(', '));
  check(lab.dense > 0 && !lab.denseOverlap, `60 crowded tracks: ${lab.dense} labels placed, none overlapping`);

  // A permalink restores centre, zoom, filters and time zone.
  const link = new URL('/index.html', url); // a new document, not a hash change
  link.hash = 'c=36.5000,127.5000&z=7&type=Boeing&tz=local';
  await page.goto(link.href, { waitUntil: 'load' });
  if (await waitFor(() => window.aw && aw.ready, null, SLOW, 'map ready after a permalink')) {
    const pl = await page.evaluate(() => ({ c: aw.map.getCenter(), z: aw.map.getZoom(),
      type: document.getElementById('f-type').value, tz: aw.tz, rows: aw.tableRows }));
    check(Math.abs(pl.c.lat - 36.5) < 0.01 && Math.abs(pl.c.lng - 127.5) < 0.01 && pl.z === 7,
      `permalink centre and zoom (${pl.c.lat.toFixed(2)}, ${pl.c.lng.toFixed(2)}, z${pl.z})`);
    check(pl.type === 'Boeing' && pl.tz === 'local' && pl.rows === 1, `permalink filter and time zone (${pl.rows} row)`);
  }
  await page.waitForTimeout(500);
  await page.screenshot({ path: shot });
  ok('screenshot saved: ' + shot);
  check(foreign.length === 0, 'no request left the server (offline map)' + (foreign.length ? ': ' + foreign[0] : ''));

  check(errors.length === 0, 'no page errors' + (errors.length ? ': ' + errors.join('; ') : ''));
}

// Zones at run time, run after the replay has ended (tests/cli_web.sh) so that the
// engine's restart over new zones cannot change the events counted before: a zone PUT
// from the signed-in page (cookie and Origin) appears on the map, and goes on DELETE.
async function afterReplay() {
  const zone = { type: 'Feature', properties: { kind: 'adiz', owner: 'KR', name: 'Run-time zone' },
    geometry: { type: 'Polygon', coordinates: [[[127, 38], [129, 38], [129, 39], [127, 39], [127, 38]]] } };
  await waitFor(() => window.aw && aw.zones > 0 && aw.zonesVersion !== undefined, null, SLOW, 'zones loaded');
  const put = await page.evaluate(async (z) => (await fetch('/api/zones/RUNTIME1', { method: 'PUT',
    headers: { 'Content-Type': 'application/geo+json' }, body: JSON.stringify(z) })).status, zone);
  check(put === 201, `the signed-in page adds a zone (PUT ${put})`);
  if (await waitFor(() => aw.zoneIds.includes('RUNTIME1') &&
      [...document.querySelectorAll('.leaflet-tooltip.zone-label')].some((e) => e.textContent === 'RUNTIME1'),
  null, SLOW, 'the new zone is drawn')) ok('the new zone is drawn with its label');
  const del = await page.evaluate(async () => (await fetch('/api/zones/RUNTIME1', { method: 'DELETE' })).status);
  check(del === 200, `the page deletes it (DELETE ${del})`);
  await waitFor(() => !aw.zoneIds.includes('RUNTIME1'), null, SLOW, 'the deleted zone leaves the map');

  // The time slider: back to 01:02, paused (780a1b south again, its KADIZ alert
  // hidden), then forward to 01:20 at 10x (north, the alert back); nothing alerted
  // twice. Paused, because at 10x the clock leaves 01:02 within seconds, and a loaded
  // machine may not show the page that moment.
  const speed = async (x) => {
    await page.click(`#replay button[data-speed="${x}"]`);
    await waitFor((v) => document.querySelector(`#replay button[data-speed="${v}"]`).classList.contains('on'),
      x, SLOW, `the replay at speed ${x}`);
  };
  await speed(0);
  const slide = (iso) => page.evaluate((t) => {
    const s = document.getElementById('seek');
    s.value = String(Date.parse(t) / 1000);
    s.dispatchEvent(new Event('input'));
    s.dispatchEvent(new Event('change'));
  }, iso);
  const kadiz = () => [...document.querySelectorAll('#alerts li')].some((li) => li.dataset.track === '780a1b' &&
    li.textContent.includes('ENTERED KADIZ'));
  await waitFor(() => Number(document.getElementById('seek').max) > 1e9 && !document.getElementById('replay').hidden,
    null, SLOW, 'the time slider spans the recording');
  const before = await page.evaluate(() => ({ n: aw.events.length, alerts: document.querySelectorAll('#alerts li').length }));
  // (the alerts are drawn on the next animation frame, which a loaded machine gives late:
  // what they show is waited for)
  if (await waitFor(kadiz, null, SLOW, 'the KADIZ alert is listed at the end of the replay')) {
    ok('the KADIZ alert is listed at the end of the replay');
  }
  await slide('2022-11-30T01:02:00Z');
  if (await waitFor((k) => aw.clock && aw.clock < '2022-11-30T01:03' && aw.tracks.get('780a1b') &&
      aw.tracks.get('780a1b').lat < 30.0 && !eval(k)(), '(' + kadiz.toString() + ')', SLOW,
  'seek back to 01:02, the later KADIZ alert hidden')) {
    const back = await page.evaluate((k) => ({ clock: aw.clock, lat: aw.tracks.get('780a1b').lat,
      kadiz: eval(k)() }), '(' + kadiz.toString() + ')');
    check(!back.kadiz, `seek back: clock ${back.clock}, 780a1b at ${back.lat.toFixed(2)} N, its later KADIZ alert hidden`);
  }
  await speed(10);
  await slide('2022-11-30T01:20:00Z');
  if (await waitFor(() => aw.clock >= '2022-11-30T01:20' && aw.tracks.get('780a1b').lat > 30.5, null, SLOW,
    'seek forward to 01:20')) {
    if (await waitFor(kadiz, null, SLOW, 'seek forward: the KADIZ alert is back')) ok('seek forward: the KADIZ alert is back');
    await page.waitForTimeout(1500); // time for an alert given twice to show
    const fwd = await page.evaluate(() => ({ n: aw.events.length }));
    check(fwd.n === before.n, `nothing alerted twice (${fwd.n} alerts before and after)`);
  }
  // A permalink's time is offered as a button (opening a link does not move the replay).
  const tlink = new URL('/index.html', url);
  tlink.hash = 't=2022-11-30T01:04:00.000Z';
  await page.goto(tlink.href, { waitUntil: 'load' });
  if (await waitFor(() => window.aw && aw.ready && !document.getElementById('goto').hidden, null, SLOW,
    'the permalink time offered')) {
    const clockBefore = await page.evaluate(() => aw.clock);
    check(clockBefore >= '2022-11-30T01:19', `opening the link left the replay where it was (${clockBefore})`);
    await speed(0); // paused, as the seek back above: at 10x the clock leaves 01:04 within 6 s
    await page.click('#goto');
    await waitFor(() => aw.clock < '2022-11-30T01:05', null, SLOW, 'the button seeks to the link time');
  }
  check(errors.length === 0, 'no page errors' + (errors.length ? ': ' + errors.join('; ') : ''));
}

try {
  await page.goto(url, { waitUntil: 'load' });

  // Read-only until signed in: no speed buttons, a sign-in link.
  await waitFor(() => window.aw && aw.session, null, SLOW, 'session read');
  const ro = await page.evaluate(() => ({ replay: document.getElementById('replay').hidden,
    login: document.getElementById('login').hidden, write: aw.canWrite }));
  check(ro.replay && !ro.login && ro.write === false, 'before sign-in: no speed buttons, a sign-in link');
  const refused = await page.evaluate(async () => (await fetch('/api/replay?speed=3', { method: 'POST' })).status);
  check(refused === 401, `before sign-in a speed change from the page is refused (${refused})`);

  // The XSS zone: its id and name are on the page as text, and nothing of them ran.
  if (await waitFor(() => window.aw && aw.zones > 0, null, SLOW, 'zones loaded')) {
    const x = await page.evaluate(() => ({
      labels: [...document.querySelectorAll('.leaflet-tooltip.zone-label')].map((e) => e.textContent),
      imgs: document.querySelectorAll('img[src="x"], img[src="y"]').length +
        [...document.querySelectorAll('b')].filter((b) => b.textContent === 'bold').length,
      xss: window.__xss,
    }));
    check(x.labels.includes('<img src=x onerror=window.__xss=1>'), 'the markup zone id is shown as text on the map');
    check(x.imgs === 0 && x.xss === undefined, 'no element made from zone data, no script ran');
  }

  // Sign in with the token: the login page sets the session cookie and returns to the map.
  await page.goto(new URL('/login', url).href, { waitUntil: 'load' });
  await page.fill('#token', 'wrong-token-wrong-token');
  const bad = await Promise.all([page.waitForNavigation(), page.click('#sign-in')]).then(([r]) => r && r.status());
  check(bad === 403, `a wrong token is refused (${bad})`);
  await page.goto(new URL('/login', url).href, { waitUntil: 'load' });
  await page.fill('#token', token);
  await Promise.all([page.waitForNavigation(), page.click('#sign-in')]);
  check(new URL(page.url()).pathname === '/', 'signed in, back on the map');
  await waitFor(() => window.aw && aw.session && aw.canWrite && !document.getElementById('replay').hidden,
    null, SLOW, 'signed in: the speed buttons show');
  const cookies = await context.cookies();
  const sc = cookies.find((c) => c.name === 'aw_session');
  check(sc && sc.httpOnly && sc.sameSite === 'Strict' && sc.value !== token,
    'the session cookie is HttpOnly, SameSite=Strict, and not the token');

  if (mode === 'after') await afterReplay();
  else await tour();
} catch (e) {
  fail('browser test: ' + e);
} finally {
  await context.close();
}
process.exit(failures ? 1 : 0);
