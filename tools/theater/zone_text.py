"""zone_text.py -- the properties (names, sources, accuracy) of the built-in zones.

Why it exists: every zone says where its vertices come from and how far to trust them.
That prose is kept apart from the geometry code of make_zones.py so both stay readable.
"""

KADIZ_SOURCE = (
    "ROK Ministry of National Defense announcement of 2013-12-08, effective 2013-12-15 "
    "14:00 KST (Enforcement Decree of the Military Aircraft Operation Act, art. 2(2)); "
    "vertices as listed by Newdaily 2013-12-08 (9 main points) and by a CIMSEC-derived list "
    "(12 points); southern part = Incheon FIR, Korea eAIP ENR 2.1 (AIRAC 2018-07-18). "
    "Edges rhumb: the boundary is published as parallels (39N, 32-30N, 30N) and a meridian "
    "(124E) joined by chart lines.")
KADIZ_ACC = (
    "12 published vertices, exact as published (medium-high: the official Gazette notice "
    "was not seen). Uncertain: the Tsushima stretch between 34-43N 129-09E and 34-17N "
    "128-52E, +-3 NM (the Incheon FIR vertex is 34-40N 129-10E). One source prints 122-25E "
    "for 30N 125-25E (a typo). The northern edge along 39N crosses North Korea.")

CADIZ_SOURCE = (
    "PRC Ministry of National Defense statement of 2013-11-23 (Xinhua): the airspace "
    "between the line joining six points and China's territorial-sea line. Edges rhumb: "
    "the first edge lies on the parallel 33-11N and the statement gives no edge rule, so "
    "chart (Mercator) straight lines are assumed.")
CADIZ_ACC = (
    "Six published points exact. The landward side is computed, not published: the line "
    "is carried west along the parallels of its end points (33-11N and 26-44N) to China's "
    "12 NM limit (zone TA-CN, a buffer of the Natural Earth coastline, not of China's "
    "straight baselines) and follows that limit; the closing vertices are as accurate as "
    "TA-CN (a few hundred metres to kilometres).")

JADIZ_SOURCE = (
    "Japan MOD Directive No. 36 of 1969 (as amended), art. 2, outer-line points (1)-(7) "
    "(JGD2000), via ja.wikisource; south-west line inferred from scopedog.hatenablog.com "
    "2013-11-30 (JADIZ/Incheon FIR triangle 30N125E-33N127E-33N125E; JADIZ/Taipei FIR "
    "area 28N123E-29N124E-23.5N124E-23N123E), sun-bin.blogspot.com 2006 and the 123E "
    "Japan-Taiwan boundary (MOD/MOFA 2010); Yonaguni: 14 NM from its baselines west of 123E "
    "since 2010-06-25 (Asahi 2010-05-27, ROC MOFA protest 2010-05-29); the directive's 3 NM "
    "line off mainland Hokkaido between its points (24)-(25) and (26)-(27); the Northern "
    "Territories and the Ogasawara islands outside the JADIZ (Wikipedia JA via weblio); the "
    "outer line 'roughly near the median lines with other states' (Wikipedia JA, "
    "'防空識別圏', via weblio). Edges rhumb: the known edges run along a parallel "
    "(33-00-12N) and meridians (125E, 123E); the computed edges have vertices about 1 km "
    "apart.")
JADIZ_ACC = (
    "Points (1)-(7) exact (high). South-west line APPROXIMATE (inferred, low-medium): "
    "(7) -> 30N 125E -> 29N 124E -> 28N 123E -> 23N 123E, round numbers without the "
    "datum shift. Yonaguni bulge: 14 NM buffer of the Natural Earth coastline (not the "
    "baselines) west of 123E, approximate. Points (8)-(30) were not available; the rest of "
    "the outer line is DRAWN BY RULE, not from published points: (a) toward a neighbour, "
    "the median line between the Japanese land the JADIZ covers and the neighbour's land "
    "(Sakhalin and the Kuril Islands with the Northern Territories; Taiwan, Lanyu and the "
    "Batanes; the Ogasawara and Volcano Islands, which lie outside), computed from Natural "
    "Earth coasts in local azimuthal equidistant projections (about 1%); (b) near the "
    "Northern Territories, 3 NM off the coast of mainland Hokkaido (the directive's rule "
    "there), within 25 km of the islands; (c) toward the open Pacific, 200 NM from the "
    "coast of the covered land, with the bays between its bulges filled (a 300 km "
    "closing), so that no edge of the model cuts the sea where the patrols fly; (d) from "
    "point (1) east along its parallel (45-45-07N) to the median with Sakhalin. The "
    "Northern Territories, Ogasawara (Chichijima) and the Volcano Islands are outside. The "
    "inner line's exclusions are ignored (the reference treats inside-the-outer-line as "
    "JADIZ). Near rule-drawn edges an entry or exit is a model's, not Japan's: the real "
    "line may lie tens to hundreds of km away.")
TWADIZ_SOURCE = (
    "Taiwan (ROC) eAIP ENR 5.2.3 ADIZ as transcribed in LunaticGhoulPiano/Flight-Spotter "
    "data/filter_regions/Taiwan_ADIZ.json (commit 6af544d). Edges rhumb: every edge but "
    "one lies on a parallel (21N, 29N) or a meridian (117-30E, 123E).")
TWADIZ_ACC = (
    "Five vertices from a secondary transcription (medium); the SE corner 21N 121-30E -> "
    "22-30N 123E is unconfirmed against the primary page. In practice Taiwan enforces only "
    "east of the median line. West of 123E near Yonaguni it overlaps Japan's 14 NM bulge.")


def adiz_features(feature, ring, kadiz, cadiz, jadiz, twadiz):
    """The four ADIZ features; KADIZ and TWADIZ keep their published vertex order."""
    return [
        feature("KADIZ", "Korea ADIZ (2013)", "adiz", "KR", "rhumb", KADIZ_SOURCE, KADIZ_ACC,
                ring(kadiz), {"uncertain_segments": [{
                    "from": [kadiz[5][1], kadiz[5][0]], "to": [kadiz[6][1], kadiz[6][0]],
                    "tolerance_nm": 3, "why": "Tsushima stretch: old KADIZ/JADIZ line vs "
                    "Incheon FIR vertex 34-40N 129-10E; Gazette notice not seen"}]}),
        feature("CADIZ-ECS", "China East China Sea ADIZ (2013)", "adiz", "CN", "rhumb",
                CADIZ_SOURCE, CADIZ_ACC, cadiz),
        feature("JADIZ", "Japan ADIZ (points (1)-(7) published; the rest drawn by rule)",
                "adiz", "JP", "rhumb", JADIZ_SOURCE, JADIZ_ACC, jadiz, {"approximate_parts": [
                    "south-west line (7) -> 30N 125E -> 28N 123E -> 23N 123E (inferred)",
                    "Yonaguni 14 NM bulge (coastline buffer, not baselines)",
                    "toward Sakhalin, the Kurils, Taiwan, the Batanes and Ogasawara: median "
                    "lines (computed from Natural Earth coasts)",
                    "Nemuro Strait: 3 NM off mainland Hokkaido (the directive's rule)",
                    "open Pacific: 200 NM from the coast of the covered land, bays filled "
                    "(300 km closing)",
                    "point (1) east along 45-45-07N to the median with Sakhalin"],
                    "outside": ["Northern Territories (Southern Kuril Islands)",
                                "Ogasawara (Bonin) and Volcano Islands"]}),
        feature("TWADIZ", "Taiwan (ROC) ADIZ", "adiz", "TW", "rhumb", TWADIZ_SOURCE,
                TWADIZ_ACC, ring(twadiz)),
    ]


def ta_feature(feature, zid, geom, owner, cname, straits, disputes, simplify_deg, tile_deg):
    source = (
        "12 NM (22,224 m) from the coast, UNCLOS arts. 2-3: Natural Earth 1:10m admin-0 "
        "countries (npm world-atlas 2.0.2, countries-10m.json) buffered with GEOS "
        f"(python3-shapely) in local azimuthal equidistant projections ({tile_deg:g} degree "
        "tiles, PROJ via python3-pyproj), clipped to 115-150E 18-50N. Edges geodesic (vertices "
        "a few hundred metres apart; the edge rule changes nothing measurable).")
    acc = (
        "APPROXIMATE: the buffer is of the Natural Earth coastline, NOT of the official "
        "baselines; where straight baselines exist (Korea's west and south coasts, China, "
        "Japan since 1996) the real limit lies farther out, by up to tens of km. Median "
        "lines between facing coasts under 24 NM apart are not applied (the zones of two "
        "states overlap there). Simplified to "
        f"{simplify_deg:g} degree (about 55 m) after buffering.")
    extra = {}
    if straits:
        acc += (" Reduced to 3 NM in " + "; ".join(straits) + ": each strait is an "
                "APPROXIMATE box around it, since the legal areas (Enforcement Order of "
                "the Act on Territorial Sea, art. 3) were not available.")
        extra["three_nm_areas"] = list(straits)
    if disputes:
        acc += (" Includes disputed land claimed by this state: " + "; ".join(disputes) +
                ". Disputed land lies inside every claimant's zone.")
        extra["includes_disputed"] = disputes
    if owner == "KR" or owner == "JP":
        acc += (" Liancourt Rocks: a 300 m disc around 37-14-30N 131-52-00E (Wikipedia) "
                "is added to the coastline data.")
    if owner == "CN":
        acc += " Taiwan-administered islands (Taiwan, Penghu, Kinmen) are in TA-TW only."
    return feature(zid, f"{cname} territorial airspace (12 NM)", "territorial", owner,
                   "geodesic", source, acc, geom, extra)
