// app.js -- the air picture: zones, tracks, alerts and track details from adizwatch serve.
//
// Everything comes from the binary that serves this page: the land (Natural Earth, built
// from Debian's copy), the zones (/api/zones) and the live picture (/api/stream), so the map
// works with no internet. Tracks are drawn on one canvas of their own rather than as
// Leaflet markers: ten thousand DOM or vector-layer objects would not stay smooth, one
// canvas redrawn per frame does. window.aw exposes the state the browser test reads.
//
// Everything that comes from data (zone ids and names, callsigns, types, places) goes
// into the page as text (textContent, or a DOM node for Leaflet's tooltips), never as
// markup: a zone file or a feed is not trusted to be harmless.
'use strict';
(function () {
  const aw = (window.aw = {
    zones: 0, tracks: new Map(), alerts: 0, adizEntries: 0, updates: 0, selected: null,
    clock: null, ready: false, drawn: 0,
  });
  const TRAIL = 20;          // positions kept per track for its trail
  const LABELS_BELOW = 600;  // draw labels when fewer tracks than this are in view
  const COLORS = { adiz: '#ffb020', territorial: '#ff5a4f', other: '#b89cff', civ: '#5fd4ff',
    mil: '#ff4040', unid: '#ffb020', sel: '#ffffff' };

  // The land is TopoJSON (tools/land/natural_earth_land.py): arcs of positions, quantized
  // and delta-encoded when a transform is given; a ring is a list of arc indices (~i: arc i
  // reversed), consecutive arcs sharing an end point. That much of the format, to GeoJSON.
  function topoFeature(topo, obj) {
    const t = topo.transform;
    const arcs = topo.arcs.map((arc) => {
      let x = 0, y = 0;
      return arc.map(([a, b]) => (t ? [(x += a) * t.scale[0] + t.translate[0],
        (y += b) * t.scale[1] + t.translate[1]] : [a, b]));
    });
    const ring = (ids) => ids.flatMap((i, k) => {
      const a = i < 0 ? arcs[~i].slice().reverse() : arcs[i];
      return k ? a.slice(1) : a;
    });
    const geometry = (g) => (g.type === 'Polygon'
      ? { type: 'Polygon', coordinates: g.arcs.map(ring) }
      : { type: 'MultiPolygon', coordinates: g.arcs.map((p) => p.map(ring)) });
    const geoms = obj.type === 'GeometryCollection' ? obj.geometries : [obj];
    return { type: 'FeatureCollection',
      features: geoms.map((g) => ({ type: 'Feature', properties: {}, geometry: geometry(g) })) };
  }

  const map = L.map('map', { preferCanvas: true, zoomAnimation: false, fadeAnimation: false,
    minZoom: 2, maxZoom: 12, worldCopyJump: false });
  aw.map = map;
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution('Land: Natural Earth (public domain)');
  map.setView([34, 128], 5);
  map.createPane('land').style.zIndex = 200;
  map.createPane('zones').style.zIndex = 400;
  const landRenderer = L.canvas({ pane: 'land' });
  const zoneRenderer = L.canvas({ pane: 'zones' });

  // ---- land and a graticule ---------------------------------------------------------
  fetch('/data/land-50m.json').then((r) => r.json()).then((topo) => {
    const land = topoFeature(topo, topo.objects.land);
    L.geoJSON(land, { renderer: landRenderer, interactive: false,
      style: { color: '#6d8aa3', weight: 0.9, fillColor: '#243444', fillOpacity: 1 } }).addTo(map);
    aw.land = true;
  });
  const grat = [];
  for (let lat = -80; lat <= 80; lat += 5) grat.push([[lat, -180], [lat, 180]]);
  for (let lon = -180; lon <= 180; lon += 5) grat.push([[-85, lon], [85, lon]]);
  L.polyline(grat, { renderer: landRenderer, interactive: false, color: '#16324a', weight: 0.6 }).addTo(map);

  // ---- zones ------------------------------------------------------------------------
  const kindOf = (k) => (k === 'adiz' || k === 'territorial' ? k : 'other');
  const zoneInfo = new Map();
  // Loaded at start and again whenever /api/stats says the zones changed (PUT/DELETE
  // /api/zones at run time).
  function loadZones() {
    return fetch('/api/zones').then((r) => r.json()).then((gj) => {
      if (aw.zoneLayer) aw.zoneLayer.remove();
      zoneInfo.clear();
      const layer = L.geoJSON(gj, {
        renderer: zoneRenderer,
        style: (f) => {
          const k = kindOf(f.properties.kind);
          return k === 'adiz'
            ? { color: COLORS.adiz, weight: 2, dashArray: '8 5', fillColor: COLORS.adiz, fillOpacity: 0.04 }
            : k === 'territorial'
              ? { color: COLORS.territorial, weight: 1, opacity: 0.8, fillColor: COLORS.territorial, fillOpacity: 0.07 }
              : { color: COLORS.other, weight: 1.5, fillColor: COLORS.other, fillOpacity: 0.06 };
        },
        onEachFeature: (f, l) => {
          const p = f.properties, k = kindOf(p.kind);
          zoneInfo.set(p.id, p);
          // ADIZs and other zones carry their name on the map; the many territorial
          // slivers along every coast would bury it, so theirs shows on hover.
          const label = document.createElement('span'); // text, never markup
          label.textContent = k === 'territorial' ? p.id + ' \u2014 ' + p.name : p.id;
          label.title = p.name;
          l.bindTooltip(label, { permanent: k !== 'territorial', direction: 'center',
            className: 'zone-label ' + k });
        },
      }).addTo(map);
      aw.zones = gj.features.length;
      aw.zoneIds = gj.features.map((f) => f.properties.id);
      aw.zoneLayer = layer;
    });
  }
  loadZones();

  // ---- tracks: one canvas -----------------------------------------------------------
  const canvas = document.createElement('canvas');
  canvas.className = 'tracks';
  map.getContainer().appendChild(canvas);
  const ctx = canvas.getContext('2d');
  let pending = false;
  function redraw() {
    if (!pending) { pending = true; requestAnimationFrame(draw); }
  }
  map.on('move zoom resize viewreset', redraw);

  const isHot = (p) => p.military || p.unidentified;
  const SPRITE = 24, sprites = new Map();
  function sprite(color, s, heading) {
    const step = Math.round(heading / 5) % 72, key = color + s + ':' + step;
    let c = sprites.get(key);
    if (c) return c;
    const dpr = window.devicePixelRatio || 1;
    c = document.createElement('canvas');
    c.width = c.height = SPRITE * dpr;
    const x = c.getContext('2d');
    x.scale(dpr, dpr);
    x.translate(SPRITE / 2, SPRITE / 2);
    x.rotate((step * 5 * Math.PI) / 180); // Mercator is conformal: a bearing is a screen angle
    x.beginPath();
    x.moveTo(0, -s); x.lineTo(s * 0.65, s * 0.75); x.lineTo(0, s * 0.35); x.lineTo(-s * 0.65, s * 0.75);
    x.closePath();
    x.fillStyle = color; x.strokeStyle = '#000'; x.lineWidth = 1;
    x.fill(); x.stroke();
    sprites.set(key, c);
    return c;
  }
  const insideAdiz = (p) => p.zones.some((z) => kindOf(z.kind) === 'adiz');

  function draw() {
    pending = false;
    const size = map.getSize(), dpr = window.devicePixelRatio || 1;
    if (canvas.width !== size.x * dpr || canvas.height !== size.y * dpr) {
      canvas.width = size.x * dpr; canvas.height = size.y * dpr;
      canvas.style.width = size.x + 'px'; canvas.style.height = size.y + 'px';
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, size.x, size.y);
    const visible = [];
    for (const t of aw.tracks.values()) {
      if (!passes(t)) { t.px = t.py = NaN; continue; }
      const pt = map.latLngToContainerPoint([t.lat, t.lon]);
      t.px = pt.x; t.py = pt.y;
      if (pt.x > -50 && pt.y > -50 && pt.x < size.x + 50 && pt.y < size.y + 50) visible.push(t);
    }
    const few = visible.length < LABELS_BELOW;
    // trails first, under every symbol
    ctx.lineWidth = 1.2;
    for (const t of visible) {
      if (!few && t.id !== aw.selected) continue;
      const trail = t.id === aw.selected && aw.selectedTrail ? aw.selectedTrail : t.trail;
      if (trail.length < 2) continue;
      ctx.strokeStyle = t.id === aw.selected ? 'rgba(255,255,255,0.9)'
        : isHot(t.p) ? 'rgba(255,64,64,0.55)' : 'rgba(95,212,255,0.45)';
      ctx.beginPath();
      trail.forEach(([lat, lon], i) => {
        const q = map.latLngToContainerPoint([lat, lon]);
        if (i) ctx.lineTo(q.x, q.y); else ctx.moveTo(q.x, q.y);
      });
      ctx.lineTo(t.px, t.py);
      ctx.stroke();
    }
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = COLORS.adiz;
    ctx.beginPath();
    for (const t of visible) { // a ring round anyone inside an ADIZ
      if (!(few || t.id === aw.selected) || !insideAdiz(t.p)) continue;
      const r = (isHot(t.p) ? 9 : 7) + 5;
      ctx.moveTo(t.px + r, t.py);
      ctx.arc(t.px, t.py, r, 0, 2 * Math.PI);
    }
    ctx.stroke();
    // Symbols are stamped from pre-drawn sprites (one per colour, size and 5 degrees of
    // heading): filling ten thousand small paths costs a software canvas a third of a
    // second, copying ten thousand small images a few milliseconds.
    for (const t of visible) {
      const hot = isHot(t.p), sel = t.id === aw.selected;
      const sp = sprite(sel ? COLORS.sel : hot ? COLORS.mil : COLORS.civ, hot ? 9 : 7, t.p.heading_deg ?? 0);
      ctx.drawImage(sp, Math.round(t.px) - SPRITE / 2, Math.round(t.py) - SPRITE / 2, SPRITE, SPRITE);
    }
    const items = visible.filter((t) => few || t.id === aw.selected);
    aw.labels = layoutLabels(items, aw.selected, (text, bold) => {
      ctx.font = bold ? LABEL_FONT1 : LABEL_FONT2;
      return ctx.measureText(text).width;
    });
    ctx.lineWidth = 3; ctx.strokeStyle = 'rgba(0,0,0,0.85)';
    for (const l of aw.labels) {
      ctx.fillStyle = l.color;
      ctx.font = LABEL_FONT1;
      ctx.strokeText(l.line1, l.x + 2, l.y + 11); ctx.fillText(l.line1, l.x + 2, l.y + 11);
      ctx.font = LABEL_FONT2;
      ctx.strokeText(l.line2, l.x + 2, l.y + 24); ctx.fillText(l.line2, l.x + 2, l.y + 24);
    }
    aw.drawn = visible.length;
  }

  // ---- labels that do not overlap ----------------------------------------------------
  // Aircraft flying together (close on the screen, on a like heading and altitude) are
  // one formation with one label ("H6K01 \u00d72"); selecting one of them shows each
  // member's own label. Labels are then placed greedily, the selected first, then
  // military and unidentified, at the first of four spots beside the symbol that
  // overlaps no label already placed; a label with no free spot is left out (its track
  // still drawn), so no label is ever printed over another.
  const LABEL_FONT1 = 'bold 12px "DejaVu Sans", sans-serif', LABEL_FONT2 = '11px "DejaVu Sans", sans-serif';
  const FORMATION_PX = 24, FORMATION_DEG = 25, FORMATION_FT = 2000, LABEL_H = 28;
  const fl = (p) => (p.alt_ft != null ? 'FL' + String(Math.round(p.alt_ft / 100)).padStart(3, '0') : '');
  function formations(items, selected) {
    const parent = items.map((_, i) => i);
    const root = (i) => (parent[i] === i ? i : (parent[i] = root(parent[i])));
    const order = items.map((_, i) => i).sort((a, b) => items[a].px - items[b].px);
    for (let a = 0; a < order.length; a++) {
      const i = order[a], ti = items[i];
      for (let b = a + 1; b < order.length && items[order[b]].px - ti.px <= FORMATION_PX; b++) {
        const j = order[b], tj = items[j], pi = ti.p, pj = tj.p;
        if (Math.abs(tj.py - ti.py) > FORMATION_PX) continue;
        const dh = Math.abs((((pi.heading_deg ?? 0) - (pj.heading_deg ?? 0)) % 360 + 540) % 360 - 180);
        const da = pi.alt_ft != null && pj.alt_ft != null ? Math.abs(pi.alt_ft - pj.alt_ft) : 0;
        if (dh <= FORMATION_DEG && da <= FORMATION_FT) parent[root(i)] = root(j);
      }
    }
    const groups = new Map();
    items.forEach((t, i) => {
      const r = root(i);
      if (!groups.has(r)) groups.set(r, []);
      groups.get(r).push(t);
    });
    const out = [];
    for (const g of groups.values()) {
      if (g.some((t) => t.id === selected)) for (const t of g) out.push([t]); // expanded
      else out.push(g);
    }
    return out;
  }
  function layoutLabels(items, selected, measure) {
    const groups = formations(items, selected);
    const rank = (g) => (g.some((t) => t.id === selected) ? 0 : g.some((t) => isHot(t.p)) ? 1 : 2);
    groups.sort((a, b) => rank(a) - rank(b) || b.length - a.length);
    const placed = [];
    for (const g of groups) {
      g.sort((a, b) => (a.p.callsign || a.id).localeCompare(b.p.callsign || b.id));
      const lead = g[0], p = lead.p, n = g.length;
      const sameType = g.every((t) => t.p.type === p.type);
      const line1 = (p.callsign || p.id) + (n > 1 ? ' \u00d7' + n : '');
      const line2 = [sameType ? p.type : 'mixed types', p.nation, fl(p)].filter(Boolean).join(' ');
      const w = Math.max(measure(line1, true), measure(line2, false)) + 4;
      const sel = lead.id === selected;
      const spots = [[12, -13], [-12 - w, -13], [-w / 2, -14 - LABEL_H], [-w / 2, 14]];
      for (const [dx, dy] of spots) {
        const box = { x: lead.px + dx, y: lead.py + dy, w, h: LABEL_H };
        if (placed.some((o) => box.x < o.x + o.w && o.x < box.x + box.w && box.y < o.y + o.h && o.y < box.y + box.h))
          continue;
        placed.push(Object.assign(box, { line1, line2, ids: g.map((t) => t.id), count: n,
          color: sel ? COLORS.sel : g.some((t) => isHot(t.p)) ? COLORS.mil : COLORS.civ }));
        break;
      }
    }
    return placed;
  }
  aw.layoutLabels = layoutLabels;

  function upsert(f) {
    const p = f.properties, [lon, lat] = f.geometry.coordinates;
    let t = aw.tracks.get(p.id);
    if (!t) { t = { id: p.id, trail: [] }; aw.tracks.set(p.id, t); }
    if (t.lat !== undefined && (t.lat !== lat || t.lon !== lon)) {
      t.trail.push([t.lat, t.lon]);
      if (t.trail.length > TRAIL) t.trail.shift();
    }
    t.lat = lat; t.lon = lon; t.p = p;
  }

  // ---- time: UTC or the browser's local time ------------------------------------------
  const $ = (id) => document.getElementById(id);
  const pad = (n) => String(n).padStart(2, '0');
  aw.tz = 'utc';
  function localOffset(d) {
    const off = -d.getTimezoneOffset();
    return (off >= 0 ? '+' : '-') + pad(Math.floor(Math.abs(off) / 60)) + ':' + pad(Math.abs(off) % 60);
  }
  // "01:07:53Z", or in local time "10:07:53" (the offset is in the header)
  function fmtTime(iso) {
    if (!iso) return '';
    if (aw.tz === 'utc') return iso.slice(11, 19) + 'Z';
    const d = new Date(iso);
    return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
  }
  function fmtDate(iso) {
    if (aw.tz === 'utc') return iso.slice(0, 10);
    const d = new Date(iso);
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + localOffset(d);
  }
  function setClock(iso) {
    if (!iso) return;
    // a seek back hides later alerts; the clock passing them shows them again
    if (aw.clock && (iso < aw.clock || aw.hiddenAlerts)) scheduleAlerts();
    aw.clock = iso;
    $('clock').textContent = fmtTime(iso);
    $('date').textContent = fmtDate(iso);
  }
  function setTz(tz) {
    aw.tz = tz === 'local' ? 'local' : 'utc';
    $('tz').textContent = aw.tz === 'utc' ? 'UTC' : 'LOCAL';
    $('tz').classList.toggle('on', aw.tz === 'local');
    $('clock').title = aw.tz === 'utc' ? 'feed clock (UTC)' : 'feed clock (local time)';
    if (aw.clock) setClock(aw.clock);
    renderAlerts();
    if (aw.selected) select(aw.selected);
    savePermalink();
  }
  function counts() {
    let inside = 0;
    for (const t of aw.tracks.values()) if (insideAdiz(t.p)) inside++;
    $('n-tracks').textContent = aw.tracks.size;
    $('n-inside').textContent = inside;
  }

  // ---- who may change things ----------------------------------------------------------
  // The server is read-only without its token: the speed buttons show only to a signed-in
  // page; a server with a token offers the sign-in page.
  aw.canWrite = false;
  fetch('/api/session').then((r) => r.json()).then((s) => {
    aw.canWrite = s.write;
    aw.session = s;
    $('login').hidden = s.write || !s.token;
    pollStats();
  });

  let speedShown = null;
  async function pollStats() {
    try {
      const s = await (await fetch('/api/stats')).json();
      $('n-events').textContent = s.events;
      $('rate').textContent = Math.round(s.reports_per_s);
      const feed = $('feed');
      feed.textContent = s.feed.mode === 'replay' ? 'replay ' + s.feed.state.replace('replaying', 'running')
        : s.feed.state;
      feed.className = 'feed ' + (['connected', 'replaying'].includes(s.feed.state) ? 'live'
        : ['connecting', 'failed', 'stopped'].includes(s.feed.state) ? 'down' : '');
      if (s.feed.mode === 'replay' && aw.canWrite) {
        $('replay').hidden = false;
        showSeek(s);
        if (aw.linkTime && !aw.linkOffered) {
          aw.linkOffered = true;
          $('goto').hidden = false;
          $('goto').textContent = '\u23f5 ' + fmtTime(aw.linkTime);
          $('goto').title = 'seek to the time of the link you opened (' + aw.linkTime + ')';
        }
        if (s.feed.speed !== speedShown) {
          speedShown = s.feed.speed;
          for (const b of $('replay').querySelectorAll('button'))
            b.classList.toggle('on', Number(b.dataset.speed) === s.feed.speed);
        }
      }
      if (!aw.clock) setClock(s.clock);
      if (s.zones && aw.zonesVersion !== undefined && s.zones.version !== aw.zonesVersion) loadZones();
      if (s.zones) aw.zonesVersion = s.zones.version;
      if (s.advice && s.advice !== aw.adviceCount) { aw.adviceCount = s.advice; loadAdvice(); }
    } catch (e) { $('feed').textContent = 'server unreachable'; $('feed').className = 'feed down'; }
  }
  setInterval(pollStats, 1000);
  $('replay').addEventListener('click', async (e) => {
    const b = e.target.closest('button');
    if (!b) return;
    await fetch('/api/replay?speed=' + encodeURIComponent(b.dataset.speed), { method: 'POST' });
    pollStats();
  });
  $('tz').addEventListener('click', () => setTz(aw.tz === 'utc' ? 'local' : 'utc'));

  // ---- the time slider: seek over the recording ---------------------------------------
  // From the recording's first report to the newest fed so far; the server reads the
  // file again for a seek back (nothing is alerted twice). Alerts after the clock are
  // hidden until the replay reaches them again.
  const seek = $('seek');
  let seeking = false;
  function showSeek(s) {
    if (!s.feed.start || !s.feed.fed_until) return;
    seek.min = String(Math.floor(Date.parse(s.feed.start) / 1000));
    seek.max = String(Math.ceil(Date.parse(s.feed.fed_until) / 1000));
    if (!seeking && aw.clock) seek.value = String(Math.round(Date.parse(aw.clock) / 1000));
  }
  $('goto').addEventListener('click', async () => {
    $('goto').hidden = true;
    await fetch('/api/replay?seek=' + encodeURIComponent(aw.linkTime), { method: 'POST' });
    pollStats();
  });
  seek.addEventListener('input', () => {
    seeking = true;
    $('seek-time').textContent = fmtTime(new Date(Number(seek.value) * 1000).toISOString());
  });
  seek.addEventListener('change', async () => {
    seeking = false;
    $('seek-time').textContent = '';
    await fetch('/api/replay?seek=' + encodeURIComponent(seek.value), { method: 'POST' });
    pollStats();
  });

  // ---- alerts -----------------------------------------------------------------------
  // Newest first by event time, whether read from history or streamed. The zone owner's
  // own aircraft and those of serve's --friendly nations are not alerted (the server
  // marks each event "alert"); they are counted.
  const ALERTS_MAX = 300;
  aw.events = []; aw.notAlerted = 0;
  function addAlert(ev, fresh) {
    if (ev.alert === false) { aw.notAlerted++; alertCount(); return; }
    ev.fresh = fresh && ev.type === 'enter';
    ev.seq = aw.alerts;
    let i = 0; // newest first; an equal time keeps arrival order (later above)
    while (i < aw.events.length && aw.events[i].time > ev.time) i++;
    aw.events.splice(i, 0, ev);
    if (aw.events.length > ALERTS_MAX) aw.events.pop();
    aw.alerts++;
    if (ev.type === 'enter' && kindOf(ev.zone_kind) === 'adiz') aw.adizEntries++;
    alertCount();
    scheduleAlerts();
  }
  function alertCount() {
    $('alert-count').textContent = aw.alerts + ' (' + aw.adizEntries + ' ADIZ entries' +
      (aw.notAlerted ? ', ' + aw.notAlerted + ' own/friendly not alerted' : '') + ')';
  }
  let alertsPending = false;
  function scheduleAlerts() {
    if (!alertsPending) { alertsPending = true; requestAnimationFrame(renderAlerts); }
  }
  function span(cls, text) {
    const e = document.createElement('span');
    e.className = cls; e.textContent = text;
    return e;
  }
  function renderAlerts() {
    alertsPending = false;
    const list = $('alerts');
    list.textContent = '';
    aw.hiddenAlerts = 0;
    for (const ev of aw.events) {
      if (aw.clock && ev.time > aw.clock) { aw.hiddenAlerts++; continue; } // after a seek back
      const kind = kindOf(ev.zone_kind);
      const li = document.createElement('li');
      li.className = ev.type + ' ' + kind + (ev.fresh ? ' fresh' : '');
      li.dataset.track = ev.track;
      const desc = [ev.aircraft_type, ev.nation].filter(Boolean).join(' ');
      const verb = ev.type === 'enter' ? 'ENTERED' : 'LEFT';
      const cause = ev.cause === 'crossing' ? '' : ' (' + String(ev.cause).replace('_', ' ') + ')';
      const dwell = ev.type === 'exit' && ev.dwell_s != null ? ' after ' + fmtDur(ev.dwell_s) : '';
      const where = document.createElement('div');
      where.className = 'where';
      where.textContent = (ev.where || '') + (ev.alt_ft != null ? ' \u00b7 ' + fl(ev) : '');
      li.append(span('t', fmtTime(ev.time)), ' ', span('who', (ev.callsign || ev.track) + (desc ? ' ' + desc : '')),
        ' ', span('what', verb + ' ' + ev.zone + cause + dwell), where);
      list.appendChild(li);
    }
    for (const ev of aw.events) ev.fresh = false;
  }
  $('alerts').addEventListener('click', (e) => {
    const li = e.target.closest('li');
    if (!li) return;
    const t = aw.tracks.get(li.dataset.track);
    if (t) map.panTo([t.lat, t.lon]);
    select(li.dataset.track);
  });

  // ---- scramble advice (serve --advise) ----------------------------------------------
  // The newest advice per intruder and zone owner is drawn: each advised base's way to
  // its intercept point (dashed; amber when the intercept comes before the territorial
  // airspace, grey when after) and the point itself; the panel lists advice and
  // intercepts newest first.
  map.createPane('advice').style.zIndex = 420;
  const adviceLayer = L.layerGroup().addTo(map), adviceRenderer = L.canvas({ pane: 'advice' });
  aw.advice = []; aw.adviceDrawn = 0;
  async function loadAdvice() {
    const a = await (await fetch('/api/advice')).json();
    aw.advice = a.events;
    $('advice-box').hidden = !a.advise;
    const latest = new Map();
    for (const ev of a.events) if (ev.type === 'scramble_advice') latest.set(ev.track + '/' + ev.owner, ev);
    adviceLayer.clearLayers();
    aw.adviceDrawn = 0;
    for (const ev of latest.values()) {
      for (const b of ev.bases) {
        if (b.base_lat == null) continue;
        const color = b.before_territory ? COLORS.adiz : '#8a9bb0';
        L.polyline([[b.base_lat, b.base_lon], [b.intercept_lat, b.intercept_lon]], { renderer: adviceRenderer,
          pane: 'advice', interactive: false, color, weight: 1.5, dashArray: '4 4' }).addTo(adviceLayer);
        L.circleMarker([b.intercept_lat, b.intercept_lon], { renderer: adviceRenderer, pane: 'advice',
          interactive: false, radius: 4, color, weight: 1.5, fillOpacity: 0 }).addTo(adviceLayer);
        aw.adviceDrawn++;
      }
    }
    const list = $('advice');
    list.textContent = '';
    // with serve --rules the list is what the rules select (the map still draws all)
    for (const ev of [...a.events].reverse().filter((e) => e.alert !== false).slice(0, 100)) {
      const li = document.createElement('li');
      li.dataset.track = ev.track;
      li.className = ev.type;
      const who = [ev.track, ev.aircraft_type, ev.nation].filter(Boolean).join(' ');
      let what, detail;
      if (ev.type === 'scramble_advice') {
        what = 'SCRAMBLE ' + ev.owner + ': ' + (ev.base || 'no base in reach') + (ev.base_icao ? ' (' + ev.base_icao + ')' : '');
        detail = (ev.time_to_zone_s > 0 ? ev.zone + ' in ' + fmtDur(ev.time_to_zone_s) : 'inside ' + ev.zone) +
          (ev.intercept_time ? ' \u00b7 intercept ' + fmtTime(ev.intercept_time) +
            (ev.before_territory ? ' before ' : ' after ') + (ev.territory || 'territory') : '');
      } else {
        what = 'INTERCEPT by ' + ev.interceptor + ' (' + ev.owner + ')';
        detail = (ev.takeoff_base ? 'from ' + ev.takeoff_base + ' \u00b7 ' : '') +
          (ev.advice_to_takeoff_s != null ? 'off ' + fmtDur(ev.advice_to_takeoff_s) + ' after advice' : '');
      }
      const d = document.createElement('div');
      d.className = 'where'; d.textContent = detail;
      li.append(span('t', fmtTime(ev.time)), ' ', span('who', who), ' ', span('what', what), d);
      list.appendChild(li);
    }
    $('advice-count').textContent = a.count ? String(a.count) : '';
    aw.adviceLoaded = true;
  }
  $('advice').addEventListener('click', (e) => {
    const li = e.target.closest('li');
    if (li) select(li.dataset.track);
  });

  // ---- the aircraft table, and the filters it shares with the map ----------------------
  const FILTERS = ['mil', 'nation', 'type', 'zone', 'altmin', 'altmax'];
  aw.filters = {};
  aw.sort = { key: 'callsign', dir: 1 };
  const low = (v) => String(v || '').toLowerCase();
  function passes(t) {
    const f = aw.filters, p = t.p;
    if (!p) return false;
    if (f.mil === 'mil' && !p.military) return false;
    if (f.mil === 'unid' && !p.unidentified) return false;
    if (f.mil === 'civ' && (p.military || p.unidentified)) return false;
    if (f.nation && low(p.nation) !== low(f.nation)) return false;
    if (f.type && !low(p.type).includes(low(f.type))) return false;
    if (f.zone && !p.zones.some((z) => low(z.id).includes(low(f.zone)))) return false;
    if (f.altmin && !(p.alt_ft != null && p.alt_ft >= Number(f.altmin) * 100)) return false;
    if (f.altmax && !(p.alt_ft != null && p.alt_ft <= Number(f.altmax) * 100)) return false;
    return true;
  }
  aw.passes = passes;
  const sortValue = {
    callsign: (t) => low(t.p.callsign || t.id), type: (t) => low(t.p.type), nation: (t) => low(t.p.nation),
    alt: (t) => (t.p.alt_ft != null ? t.p.alt_ft : -1e9), zone: (t) => low(t.p.zones.map((z) => z.id).join(' ')),
  };
  const TABLE_MAX = 500;
  function renderTable() {
    const rows = [...aw.tracks.values()].filter(passes);
    const key = sortValue[aw.sort.key] || sortValue.callsign, dir = aw.sort.dir;
    rows.sort((a, b) => { const x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : 0) * dir; });
    const body = $('aircraft').tBodies[0];
    body.textContent = '';
    for (const t of rows.slice(0, TABLE_MAX)) {
      const tr = body.insertRow(), p = t.p;
      tr.dataset.track = t.id;
      tr.className = (isHot(p) ? 'hot' : '') + (t.id === aw.selected ? ' sel' : '');
      for (const v of [p.callsign || p.id, p.type, p.nation, fl(p), p.zones.map((z) => z.id).join(' ')])
        tr.insertCell().textContent = v || '';
    }
    $('ac-count').textContent = rows.length + ' of ' + aw.tracks.size +
      (rows.length > TABLE_MAX ? ' (first ' + TABLE_MAX + ' listed)' : '');
    for (const th of $('aircraft').tHead.rows[0].cells)
      th.className = th.dataset.key === aw.sort.key ? (aw.sort.dir > 0 ? 'asc' : 'desc') : '';
    aw.tableRows = rows.length;
  }
  let tableAt = 0;
  function refreshTable(now) { // at most once a second from the stream
    if (now || Date.now() - tableAt > 1000) { tableAt = Date.now(); renderTable(); }
  }
  $('aircraft').tHead.addEventListener('click', (e) => {
    const th = e.target.closest('th');
    if (!th) return;
    aw.sort = { key: th.dataset.key, dir: aw.sort.key === th.dataset.key ? -aw.sort.dir : 1 };
    renderTable();
  });
  $('aircraft').tBodies[0].addEventListener('click', (e) => {
    const tr = e.target.closest('tr');
    if (!tr) return;
    const t = aw.tracks.get(tr.dataset.track);
    if (t) map.panTo([t.lat, t.lon]);
    select(tr.dataset.track);
  });
  function readFilters() {
    for (const k of FILTERS) aw.filters[k] = $('f-' + k).value.trim();
    renderTable(); redraw(); savePermalink();
  }
  for (const k of FILTERS) $('f-' + k).addEventListener('input', readFilters);

  // ---- permalinks: centre, zoom, time zone and filters in the URL ----------------------
  function savePermalink() {
    const c = map.getCenter(), q = new URLSearchParams();
    q.set('c', c.lat.toFixed(4) + ',' + c.lng.toFixed(4));
    q.set('z', String(map.getZoom()));
    if (aw.tz !== 'utc') q.set('tz', aw.tz);
    if (aw.clock) q.set('t', aw.clock);
    for (const k of FILTERS) if (aw.filters[k]) q.set(k, aw.filters[k]);
    if (aw.selected) q.set('sel', aw.selected);
    history.replaceState(null, '', '#' + q.toString());
  }
  aw.savePermalink = savePermalink;
  function loadPermalink() {
    const q = new URLSearchParams(location.hash.slice(1));
    const c = (q.get('c') || '').split(',').map(Number), z = Number(q.get('z'));
    if (c.length === 2 && c.every(Number.isFinite) && Number.isFinite(z) && q.get('z'))
      map.setView(c, z);
    for (const k of FILTERS) { $('f-' + k).value = q.get(k) || ''; aw.filters[k] = $('f-' + k).value; }
    aw.tz = q.get('tz') === 'local' ? 'local' : 'utc';
    // The time is offered, not forced: opening a link must not move everyone's replay,
    // so a signed-in page shows a button that seeks there.
    aw.linkTime = /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(q.get('t') || '') ? q.get('t') : null;
    return q.get('sel');
  }
  const permalinkSelection = loadPermalink();
  map.on('moveend', savePermalink);

  // ---- details of one track ----------------------------------------------------------
  function fmtDur(s) {
    s = Math.round(s);
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    return (h ? h + 'h' : '') + String(m).padStart(h ? 2 : 1, '0') + 'm' + String(r).padStart(2, '0') + 's';
  }
  function row(table, k, v) {
    const tr = table.insertRow();
    tr.insertCell().textContent = k;
    const td = tr.insertCell();
    if (v instanceof Node) td.appendChild(v); else td.textContent = v;
  }
  function flag(text, cls) {
    const s = document.createElement('span');
    s.className = 'flag ' + cls; s.textContent = text;
    return s;
  }
  async function select(id) {
    if (aw.selected !== id) {
      aw.selected = id;
      savePermalink();
      for (const tr of $('aircraft').tBodies[0].rows) tr.classList.toggle('sel', tr.dataset.track === id);
    }
    aw.selectedTrail = null;
    if (!id) { $('details').hidden = true; redraw(); return; }
    const r = await fetch('/api/tracks/' + encodeURIComponent(id) + '/trail');
    if (aw.selected !== id) return;
    if (!r.ok) { $('details').hidden = true; return; }
    const f = await r.json(), p = f.properties;
    aw.selectedTrail = f.geometry.coordinates.map(([lon, lat]) => [lat, lon]);
    $('d-title').textContent = (p.callsign || p.id) + (p.type ? ' \u2014 ' + p.type : '');
    const tb = $('d-table');
    tb.innerHTML = '';
    const status = document.createElement('span');
    status.appendChild(p.military ? flag('MILITARY', 'mil') : p.unidentified ? flag('UNIDENTIFIED', 'unid')
      : flag('IDENTIFIED', 'civ'));
    if (p.military && p.unidentified) status.append(' ', flag('UNIDENTIFIED', 'unid'));
    row(tb, 'Status', status);
    row(tb, 'Track / ICAO', p.id);
    row(tb, 'Callsign', p.callsign || '\u2014 none');
    row(tb, 'Squawk', p.squawk || '\u2014 none');
    row(tb, 'Nation', p.nation ? p.nation_name + ' (' + p.nation + ', from ' + p.nation_source + ')' : 'unknown');
    row(tb, 'Type', [p.type, p.registration].filter(Boolean).join(', ') || 'unknown');
    row(tb, 'Position', f.geometry.coordinates.length
      ? p.where + ' (' + f.geometry.coordinates.at(-1)[1].toFixed(3) + ', ' + f.geometry.coordinates.at(-1)[0].toFixed(3) + ')'
      : p.where);
    row(tb, 'Altitude', p.alt_ft != null ? Math.round(p.alt_ft) + ' ft' : 'unknown');
    row(tb, 'Speed / heading', (p.speed_kt != null ? Math.round(p.speed_kt) + ' kt' : '\u2014') + ' / ' +
      (p.heading_deg != null ? String(Math.round(p.heading_deg)).padStart(3, '0') + '\u00b0' : '\u2014'));
    row(tb, 'Last report', p.time ? fmtDate(p.time).slice(0, 10) + ' ' + fmtTime(p.time) : '');
    const zt = $('d-zones');
    zt.innerHTML = '<tr><th>zone</th><th>since</th><th>dwell</th><th>depth</th></tr>';
    if (!p.zones.length) zt.insertRow().insertCell().textContent = 'none';
    for (const z of p.zones) {
      const tr = zt.insertRow();
      tr.insertCell().textContent = z.id;
      tr.insertCell().textContent = fmtTime(z.since);
      tr.insertCell().textContent = fmtDur(z.dwell_s);
      tr.insertCell().textContent = z.depth_m != null ? (z.depth_m / 1000).toFixed(1) + ' km' : '';
      tr.title = z.name + ' (' + z.kind + ')';
    }
    $('details').hidden = false;
    redraw();
  }
  aw.select = select;
  aw.draw = draw;
  $('d-close').addEventListener('click', () => select(null));
  setInterval(() => { if (aw.selected) select(aw.selected); }, 2000);
  map.on('click', (e) => {
    let best = null, bestD = 14 * 14;
    for (const t of aw.tracks.values()) {
      const d = (t.px - e.containerPoint.x) ** 2 + (t.py - e.containerPoint.y) ** 2;
      if (d < bestD) { bestD = d; best = t.id; }
    }
    select(best);
  });

  // ---- the live stream ---------------------------------------------------------------
  fetch('/api/events?limit=100').then((r) => r.json()).then((h) => {
    if (aw.alerts === 0) for (const ev of h.events) addAlert(ev, false);
    const es = (aw.es = new EventSource('/api/stream'));
    es.addEventListener('tracks', (e) => {
      const m = JSON.parse(e.data);
      // Removals first: after a seek back a track is dropped and placed again between
      // two messages, and the features are its state now.
      for (const id of m.removed) aw.tracks.delete(id);
      for (const f of m.features) upsert(f);
      aw.updates++;
      setClock(m.clock);
      counts();
      refreshTable(!aw.ready);
      redraw();
      if (!aw.ready && permalinkSelection && aw.tracks.has(permalinkSelection)) select(permalinkSelection);
      aw.ready = true;
    });
    es.addEventListener('zone', (e) => addAlert(JSON.parse(e.data), true));
    es.onerror = () => { $('feed').textContent = 'stream lost, retrying'; $('feed').className = 'feed down'; };
  });
  setTz(aw.tz);
})();
