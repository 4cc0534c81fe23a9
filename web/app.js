// app.js -- the air picture: zones, tracks, alerts and track details from adizwatch serve.
//
// Everything comes from the binary that serves this page: the land (Natural Earth, built
// from Debian's copy), the zones (/api/zones) and the live picture (/api/stream), so the map
// works with no internet. Tracks are drawn on one canvas of their own rather than as
// Leaflet markers: ten thousand DOM or vector-layer objects would not stay smooth, one
// canvas redrawn per frame does. window.aw exposes the state the browser test reads.
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
  fetch('/api/zones').then((r) => r.json()).then((gj) => {
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
        l.bindTooltip(k === 'territorial' ? p.id + ' \u2014 ' + p.name : p.id,
          { permanent: k !== 'territorial', direction: 'center', className: 'zone-label ' + k });
      },
    }).addTo(map);
    aw.zones = gj.features.length;
    aw.zoneIds = gj.features.map((f) => f.properties.id);
    aw.zoneLayer = layer;
  });

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
    for (const t of visible) {
      const sel = t.id === aw.selected;
      if (!(few || sel)) continue;
      const color = sel ? COLORS.sel : isHot(t.p) ? COLORS.mil : COLORS.civ;
      const p = t.p, fl = p.alt_ft != null ? 'FL' + String(Math.round(p.alt_ft / 100)).padStart(3, '0') : '';
      ctx.font = 'bold 12px "DejaVu Sans", sans-serif';
      ctx.lineWidth = 3; ctx.strokeStyle = 'rgba(0,0,0,0.85)'; ctx.fillStyle = color;
      const line1 = p.callsign || p.id;
      const line2 = [p.type, p.nation, fl].filter(Boolean).join(' ');
      ctx.strokeText(line1, t.px + 12, t.py - 2); ctx.fillText(line1, t.px + 12, t.py - 2);
      ctx.font = '11px "DejaVu Sans", sans-serif';
      ctx.strokeText(line2, t.px + 12, t.py + 11); ctx.fillText(line2, t.px + 12, t.py + 11);
    }
    aw.drawn = visible.length;
  }

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

  // ---- the header -------------------------------------------------------------------
  const $ = (id) => document.getElementById(id);
  function setClock(iso) {
    if (!iso) return;
    aw.clock = iso;
    $('clock').textContent = iso.slice(11, 19) + 'Z';
    $('date').textContent = iso.slice(0, 10);
  }
  function counts() {
    let inside = 0;
    for (const t of aw.tracks.values()) if (insideAdiz(t.p)) inside++;
    $('n-tracks').textContent = aw.tracks.size;
    $('n-inside').textContent = inside;
  }
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
      if (s.feed.mode === 'replay') {
        $('replay').hidden = false;
        if (s.feed.speed !== speedShown) {
          speedShown = s.feed.speed;
          for (const b of $('replay').querySelectorAll('button'))
            b.classList.toggle('on', Number(b.dataset.speed) === s.feed.speed);
        }
      }
      if (!aw.clock) setClock(s.clock);
    } catch (e) { $('feed').textContent = 'server unreachable'; $('feed').className = 'feed down'; }
  }
  setInterval(pollStats, 1000);
  pollStats();
  $('replay').addEventListener('click', async (e) => {
    const b = e.target.closest('button');
    if (!b) return;
    await fetch('/api/replay?speed=' + b.dataset.speed, { method: 'POST' });
    pollStats();
  });

  // ---- alerts -----------------------------------------------------------------------
  const fmtTime = (iso) => iso.slice(11, 19) + 'Z';
  function addAlert(ev, fresh) {
    const kind = kindOf(ev.zone_kind);
    const li = document.createElement('li');
    li.className = ev.type + ' ' + kind + (fresh && ev.type === 'enter' ? ' fresh' : '');
    li.dataset.track = ev.track;
    const t = aw.tracks.get(ev.track);
    const who = ev.callsign || ev.track;
    const desc = t && t.p ? [t.p.type, t.p.nation].filter(Boolean).join(' ') : '';
    const verb = ev.type === 'enter' ? 'ENTERED' : 'LEFT';
    const cause = ev.cause === 'crossing' ? '' : ' (' + ev.cause.replace('_', ' ') + ')';
    const dwell = ev.type === 'exit' && ev.dwell_s != null ? ' after ' + fmtDur(ev.dwell_s) : '';
    li.innerHTML = '<span class="t"></span> <span class="who"></span> <span class="what"></span>' +
      '<div class="where"></div>';
    li.querySelector('.t').textContent = fmtTime(ev.time);
    li.querySelector('.who').textContent = who + (desc ? ' ' + desc : '');
    li.querySelector('.what').textContent = verb + ' ' + ev.zone + cause + dwell;
    li.querySelector('.where').textContent = (ev.where || '') +
      (ev.alt_ft != null ? ' \u00b7 FL' + String(Math.round(ev.alt_ft / 100)).padStart(3, '0') : '');
    const list = $('alerts');
    list.insertBefore(li, list.firstChild);
    while (list.children.length > 300) list.removeChild(list.lastChild);
    aw.alerts++;
    if (ev.type === 'enter' && kind === 'adiz') aw.adizEntries++;
    $('alert-count').textContent = aw.alerts + ' (' + aw.adizEntries + ' ADIZ entries)';
  }
  $('alerts').addEventListener('click', (e) => {
    const li = e.target.closest('li');
    if (!li) return;
    const t = aw.tracks.get(li.dataset.track);
    if (t) map.panTo([t.lat, t.lon]);
    select(li.dataset.track);
  });

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
    aw.selected = id;
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
    row(tb, 'Last report', p.time ? p.time.replace('T', ' ').replace('.000Z', 'Z') : '');
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
    const es = new EventSource('/api/stream');
    es.addEventListener('tracks', (e) => {
      const m = JSON.parse(e.data);
      for (const f of m.features) upsert(f);
      for (const id of m.removed) aw.tracks.delete(id);
      aw.updates++;
      setClock(m.clock);
      counts();
      redraw();
      aw.ready = true;
    });
    es.addEventListener('zone', (e) => addAlert(JSON.parse(e.data), true));
    es.onerror = () => { $('feed').textContent = 'stream lost, retrying'; $('feed').className = 'feed down'; };
  });
})();
