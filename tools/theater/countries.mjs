// countries.mjs -- Natural Earth 1:10m countries (world-atlas TopoJSON) as GeoJSON.
//
// The theater generator buffers real coastlines; this step only decodes the TopoJSON
// published on npm (quantized, shared arcs) into plain GeoJSON for the states it needs,
// so that the Python side needs no TopoJSON reader of its own. With --land it writes the
// land polygons of land-10m.json instead (the background of the README map).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { feature } from "topojson-client";

const require = createRequire(import.meta.url);
const land = process.argv[2] === "--land";
const file = land ? "world-atlas/land-10m.json" : "world-atlas/countries-10m.json";
const topo = JSON.parse(readFileSync(require.resolve(file), "utf8"));
const wanted = new Set(process.argv.slice(2));
const all = feature(topo, land ? topo.objects.land : topo.objects.countries);
const out = {
  type: "FeatureCollection",
  features: land ? all.features : all.features.filter((f) => wanted.has(f.properties.name)),
};
process.stdout.write(JSON.stringify(out));
