/* airbases.c -- the fighter bases that answer an ADIZ incursion, and the bombers' base.
 *
 * Scramble advice (which base, how soon airborne, how long to reach the track) needs the
 * bases with their aircraft, alert posture and speeds. Only what public sources say is
 * recorded, each figure with its source; where no source gives a type's speed, the
 * reference's simple scramble model is used and the entry is marked nominal.
 *
 * Coordinates: JASDF from public code lists (agreeing to ~0.002 deg), ROKAF/USAF from a
 * public ATC-simulator config, both as collected in the East Asia research notes
 * (interceptor_bases.csv); about 0.005 deg. Mach numbers are turned into km/h at the
 * ISA speed of sound above 11 km, 295.07 m/s = 1062.3 km/h. */
#include <math.h>
#include <strings.h>

#include "adizwatch/theater.h"

#define KMH_PER_MACH 1062.3
#define CSV_JP "public GitHub code lists of JASDF bases (research notes, interceptor_bases.csv)"
#define CSV_KR "public ATC-simulator config (research notes, interceptor_bases.csv)"
#define JASDF_ALERT "2 fighters on 5-minute alert, 24/365 (nicovideo/Norimono News 2024; " \
                    "FNN Komatsu report)"
#define MODEL "nominal: research notes' scramble model, 900-1000 km/h cruise"
#define F15J_PERF "F-15J Mach 2.5 (mitene.or.jp); radius ~1100 km (Chinese source, low " \
                  "confidence); cruise nominal 900 km/h (scramble model)"
#define F15K_PERF "F-15K Mach 2.3, radius 1800 km, cruise 900-1000 km/h (Korea Times 2007, " \
                  "imaeil 2010, Donga 2005)"
#define KF16_PERF "KF-16 Mach 2.05 (Newspim 2014); cruise 900 km/h nominal (no source; " \
                  "research notes assume Mach 0.8-0.9)"

static const aw_airbase bases[] = {
    /* JASDF: the seven fighter wings. */
    {"Chitose AB", "RJCJ", "JP", "JASDF", true, 42.7950, 141.6660, CSV_JP,
     "F-15J (2nd Air Wing)", 5, JASDF_ALERT, 900, 2.5 * KMH_PER_MACH, 1100, false, F15J_PERF},
    {"Misawa AB", "RJSM", "JP", "JASDF", true, 40.703, 141.368, CSV_JP,
     "F-35A (3rd Air Wing)", 5, JASDF_ALERT, 900, NAN, NAN, true, MODEL},
    {"Hyakuri AB", "RJAH", "JP", "JASDF", true, 36.1811, 140.4147, CSV_JP,
     "F-2 / F-15J (7th Air Wing)", 5, JASDF_ALERT, 900, NAN, NAN, true, MODEL},
    {"Komatsu AB", "RJNK", "JP", "JASDF", true, 36.3947, 136.4069, CSV_JP,
     "F-15J -> F-35A (6th Air Wing); the only fighter wing on the Sea of Japan side", 5,
     JASDF_ALERT, 900, 2.5 * KMH_PER_MACH, 1100, false, F15J_PERF},
    {"Tsuiki AB", "RJFZ", "JP", "JASDF", true, 33.6856, 131.0394, CSV_JP,
     "F-2 (8th Air Wing), Western Air Defense Force", 5, JASDF_ALERT, 900, NAN, NAN, true,
     MODEL},
    {"Nyutabaru AB", "RJFN", "JP", "JASDF", true, 32.0836, 131.4511, CSV_JP,
     "F-15J / F-35B (5th Air Wing)", 5, JASDF_ALERT, 900, 2.5 * KMH_PER_MACH, 1100, false,
     F15J_PERF},
    {"Naha AB", "ROAH", "JP", "JASDF", true, 26.1958, 127.6542, CSV_JP,
     "F-15J (9th Air Wing; 204 and 304 Sqn), Southwestern Air Defense Force", 5,
     JASDF_ALERT, 900, 2.5 * KMH_PER_MACH, 1100, false, F15J_PERF},
    /* ROKAF. Alert posture is published for Seosan only. */
    {"Daegu AB (K-2)", "RKTN", "KR", "ROKAF", true, 35.8941, 128.6586, CSV_KR,
     "F-15K (11th FW); 520 km from Ieodo, about 20 min on station there (Chosun "
     "2013-12-09)", NAN, "not published", 900, 2.3 * KMH_PER_MACH, 1800, false, F15K_PERF},
    {"Gwangju AB", "RKJJ", "KR", "ROKAF", true, 35.1264, 126.8089, CSV_KR,
     "1st FW (training / light attack); about 90 km closer to Ieodo than Daegu", NAN,
     "not published", 900, NAN, NAN, true, MODEL},
    {"Jungwon (Chungju) AB", "RKTI", "KR", "ROKAF", true, 36.9965, 127.8849, CSV_KR,
     "KF-16 (19th FW)", NAN, "not published", 900, 2.05 * KMH_PER_MACH, NAN, true, KF16_PERF},
    {"Seosan AB", "RKTP", "KR", "ROKAF", true, 36.7039, 126.4864, CSV_KR, "KF-16 (20th FW)",
     8, "order to airborne within 8 min, take-off ~4 min (Asia Economy 2024-12-02)", 900,
     2.05 * KMH_PER_MACH, NAN, true, KF16_PERF},
    {"Cheongju AB", "RKTU", "KR", "ROKAF", true, 36.7220, 127.4987, CSV_KR, "F-35A (17th FW)",
     NAN, "not published", 900, NAN, NAN, true, MODEL},
    {"Suwon AB", "RKSW", "KR", "ROKAF", true, 37.2393, 127.0078, CSV_KR, "10th FW", NAN,
     "not published", 900, NAN, NAN, true, MODEL},
    {"Gangneung AB", "RKNN", "KR", "ROKAF", true, 37.7536, 128.9440, CSV_KR, "F-5 (18th FW)",
     NAN, "not published", 900, NAN, NAN, true, MODEL},
    {"Wonju (Hoengseong) AB", "RKNW", "KR", "ROKAF", true, 37.4381, 127.9604, CSV_KR,
     "FA-50 (8th FW)", NAN, "not published", 900, NAN, NAN, true, MODEL},
    {"Yecheon AB", "RKTY", "KR", "ROKAF", true, 36.6319, 128.3553, CSV_KR, "16th FW", NAN,
     "not published", 900, NAN, NAN, true, MODEL},
    /* USAF in Korea. */
    {"Osan AB", "RKSO", "KR", "USAF", true, 37.0906, 127.0296, CSV_KR, "F-16 (51st FW)", NAN,
     "not published", 900, NAN, NAN, true, MODEL},
    {"Kunsan AB", "RKJK", "KR", "USAF", true, 35.9038, 126.6158, CSV_KR, "F-16 (8th FW)", NAN,
     "not published", 900, NAN, NAN, true, MODEL},
    /* Russia: the Tu-95MS of 30 Nov 2022 departed Ukrainka (Russian MoD video). No public
     * source names the Chinese base the Russian bombers landed at, or the Russian base
     * the H-6K landed at, so neither is listed here (the scenario's assumed landing
     * fields are in the airport table). */
    {"Ukrainka AB", "UHBU", "RU", "Russian Aerospace Forces", true, 51.17, 128.445,
     "51-10-12N 128-26-42E (Wikipedia de/fr, Militaerflugplatz Ukrainka)",
     "Tu-95MS (79th and 182nd Heavy Bomber Aviation Regiments, 326th Division)", NAN,
     "not applicable (bomber base)", 800, NAN, NAN, false,
     "Tu-95 750-850 km/h, measured from the JCS/JSO reports (research notes)"},
    /* Russia: the Su-35S escort of 30 Nov 2022. No source names its base; the built-in
     * scenario assumes the nearest Su-35S wing to the patrol's route. The field has no
     * ICAO code in any source at hand, so it carries a local identifier (theater.h). */
    {"Tsentralnaya Uglovaya AB", "RU-UGLOVAYA", "RU", "Russian Aerospace Forces", true, 43.35,
     132.07,
     "APPROXIMATE: 43.35N 132.07E from general knowledge, not verified against a published "
     "source (about 0.05 deg); near Vladivostok, Primorsky Krai (Sputnik 2017-07-10)",
     "Su-35S, MiG-31BM, Su-30M2 (22nd Guards Fighter Aviation Regiment; Sputnik 2017-07-10, "
     "https://sputniknews.com/photo/201707101055396193-russian-air-unit-latest-aircraft/)",
     NAN, "not published", 900, NAN, NAN, true, MODEL},
};

#define NBASES ((int)(sizeof bases / sizeof bases[0]))

int aw_airbases_count(void) { return NBASES; }

const aw_airbase *aw_airbase_at(int i) { return i >= 0 && i < NBASES ? &bases[i] : NULL; }

const aw_airbase *aw_airbase_find(const char *icao)
{
    if (!icao)
        return NULL;
    for (int i = 0; i < NBASES; i++)
        if (strcasecmp(bases[i].icao, icao) == 0)
            return &bases[i];
    return NULL;
}
