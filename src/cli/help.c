/* help.c -- every command and option of adizwatch, written once.
 *
 * The tables below are the only description of the command line: `adizwatch --help`,
 * `adizwatch COMMAND --help`, the man page adizwatch(1) and the bash completion are all
 * printed from them (the build runs `adizwatch help --man` and `help --bash-completion`),
 * so the help, the manual and the completion cannot disagree. tests/cli_help.sh checks
 * that every option a command's parser accepts is listed here. */
#include <stdio.h>
#include <string.h>

#include "adizwatch/version.h"
#include "cli/cli.h"

typedef struct help_option {
    const char *name;  /* without the dashes */
    const char *arg;   /* the value's placeholder; NULL for a flag */
    const char *text;
} help_option;

typedef struct help_command {
    const char *name;
    const char *synopsis; /* after "adizwatch NAME "; lines separated by \n */
    const char *summary;
    help_option options[32];
} help_command;

#define ZONES_OPT {"zones", "ZONES", "The zones to watch: a GeoJSON file or builtin:east-asia; " \
                   "join several with commas (ids must then be unique)."}
#define TZ_OPT(what) {"tz", "+HH:MM|Area/City", what}
#define RETRY_OPT {"retry", "S", "Keep trying to reach the NATS server for S seconds, " \
                  "backing off (default 10)."}
#define ADB_OPT(what) {"aircraft-db", "FILE", what}
#define RUN_OPTS                                                                                \
    ZONES_OPT,                                                                                  \
    {"format", "auto|csv|sbs|readsb|trace|asterix|beast|raw", "The input's format; by "      \
     "default every format is recognised from the first bytes (docs/decode.md)."},                                               \
    TZ_OPT("The clock of SBS input (receivers write local time); default UTC."),                \
    {"timeout", "S", "A track not heard for S seconds is closed (default 300)."},               \
    {"db", "FILE", "Keep events, positions and records in this SQLite file."},                  \
    {"trail-interval", "S", "With --db, store a position per track every S seconds (default " \
     "30; 0 stores none): the trails patrol and report maps draw."},                            \
    {"max-tracks", "N", "Keep at most N tracks (default 1000000); the longest idle is then "    \
     "closed and forgotten."},                                                                  \
    {"progress", NULL, "Say on stderr how many events are committed."},                         \
    {"radar-site", "SAC/SIC=LAT,LON,H", "Where an ASTERIX radar stands (repeatable); its "      \
     "polar plots are placed from there."},                                                     \
    {"receiver", "LAT,LON", "Where a Mode S receiver stands: the reference for surface and "    \
     "single-frame positions (beast, raw)."},                                                   \
    {"start", "TIME", "Clock origin of a binary recording (docs/decode.md); default from the "  \
     "file's modification time."},                                                              \
    {"advise", NULL, "Scramble advice and intercepts for the incursions (docs/advice.md)."},    \
    ADB_OPT("With --advise: who the aircraft are (plane-alert-db CSV or the simulator's)."),    \
    {"friendly", "CC,..", "With --advise: nations (KR,JP) whose aircraft are identified "       \
     "friends."},                                                                               \
    {"assume-utc", NULL, "Read CSV times written without a zone as UTC (they are refused "     \
     "otherwise)."},                                                                            \
    {"rules", "FILE", "Which events become alerts, and where they go: an INI rule file "       \
     "(docs/alerts.md); a bad one is refused (exit status 2) with its line."},                  \
    {"output", "URL", "Send alerts to file:PATH, http(s)://..., mqtt://HOST:PORT/TOPIC or "    \
     "nats://HOST:PORT/SUBJECT (repeatable); alone, every event is an alert."},                 \
    {"spool", "FILE", "Without --db: the SQLite file alerts wait in (default "                  \
     "adizwatch-outbox.sqlite)."},                                                              \
    {"deliver-timeout", "S", "At the end, wait up to S seconds (default 60) for the sinks; "    \
     "alerts still queued then give exit status 3."}

static const help_command commands[] = {
    {"replay", "--zones ZONES [OPTIONS] FILE|-",
     "Read position reports from a file (or stdin) and print zone events as JSON Lines; a "
     "summary goes to stderr.",
     {RUN_OPTS,
      {"strict", NULL, "Stop at the first bad line (exit status 1)."},
      {"connect", "HOST:PORT", "Accepted as in watch; replay reads its FILE."},
      {"idle-timeout", "S", "Accepted as in watch; a file never idles."},
      {"poll", "PATH|URL", "Accepted as in watch; replay reads its FILE."},
      {"interval", "S", "Accepted as in watch."},
      {"metrics", "[ADDR:]PORT", "Accepted as in watch; a replay serves none."},
      {"threads", "N", "Run the engine in N threads (1 to 64, default 1), tracks split by "
       "their id; the events, store, messages and summary are those of one thread, in the "
       "same order (docs/performance-round2.md). Not for snapshot or trace inputs, nor with "
       "--advise."}}},
    {"watch", "(--connect HOST:PORT|udp://ADDR:PORT | --poll PATH|URL) --zones ZONES [OPTIONS]",
     "Follow a live feed (readsb / dump1090 SBS on port 30003, CSV, Beast, ASTERIX over UDP) "
     "and print events as they happen; reconnects with backoff; SIGINT or SIGTERM stop it "
     "cleanly.",
     {{"connect", "HOST:PORT|udp://ADDR:PORT", "The feed: a TCP server, or a UDP port "
       "(multicast groups are joined)."},
      RUN_OPTS,
      {"idle-timeout", "S", "A feed that sends no complete line for S seconds is closed and "
       "reconnected (default 60; 0 never)."},
      {"poll", "PATH|URL", "Instead of --connect: read readsb's aircraft.json again and again, "
       "from its folder or over http(s) (tar1090's data/aircraft.json); what a read repeats "
       "adds nothing."},
      {"interval", "S", "With --poll: seconds between reads (default 1, 0.1 to 3600)."},
      {"metrics", "[ADDR:]PORT", "Serve Prometheus metrics on http://ADDR:PORT/metrics "
       "(ADDR 127.0.0.1 by default; docs/alerts.md)."},
      {"strict", NULL, "Accepted as in replay; a live feed counts bad lines and goes on."},
      {"threads", "N", "Accepted as in replay; a live feed runs one engine."}}},
    {"zones", "check FILE\nlist [ZONES]\nshow ID [ZONES]\nexport [ZONES] [--format geojson|kml]",
     "Validate a GeoJSON zone file (adizwatch-zones(5)) and list its zones; list, describe "
     "(sources, accuracy) or export zones. ZONES defaults to builtin:east-asia, the built-in "
     "East Asia theater.",
     {{"format", "geojson|kml", "export: the output format (default geojson)."}}},
    {"where", "LAT LON\n--places\n--bases",
     "Describe a position relative to the nearest reference place (\"126 km NW of Ieodo\") "
     "and list the built-in zones containing it.",
     {{"places", NULL, "Print the reference places, with their sources."},
      {"bases", NULL, "Print the air bases, with their sources."}}},
    {"decode", "--format asterix|beast|raw [OPTIONS] FILE|-",
     "Print every record of an ASTERIX (raw blocks or pcap), Beast or raw-hex input as JSON "
     "Lines.",
     {{"format", "asterix|beast|raw", "The input's format."},
      {"radar-site", "SAC/SIC=LAT,LON,H", "Where an ASTERIX radar stands (repeatable)."},
      {"receiver", "LAT,LON", "Where the Mode S receiver stands."},
      {"start", "TIME", "Clock origin of the recording (docs/decode.md)."},
      {"frames", NULL, "(beast, raw) Print each frame as a raw-hex line instead of decoding "
       "it."}}},
    {"report", "--db FILE (--day YYYY-MM-DD | --from T --to T) --observer KR|JP|TW|CN [OPTIONS]",
     "An observer's day or period: incursions grouped, how each began and ended, aircraft "
     "counted as airframes, territorial airspace stated, the basis of the tracks (recorded "
     "or simulated) and every scenario assumption marked; Markdown on stdout (and JSON and "
     "maps with --out). Rules in docs/report.md.",
     {{"db", "FILE", "The store replay or watch wrote."},
      {"day", "YYYY-MM-DD", "The day, in the observer's time."},
      {"from", "TIME", "With --to: a period instead of a day (ISO 8601, or "
       "YYYY-MM-DD[THH:MM] in the report's time zone)."},
      {"to", "TIME", "The end of the period."},
      {"place-names", "observer|neutral", "Dokdo / Takeshima as the observer writes them "
       "(default), or Liancourt Rocks."},
      {"airframe-link", "HOURS", "Longest landing -> take-off turnaround linked as one "
       "presumed airframe (12)."},
      {"observer", "KR|JP|TW|CN", "Whose report: their zones, their clock, their way of "
       "counting."},
      {"reconcile", "OTHER", "Set the observer's count beside OTHER's and say why they "
       "differ."},
      ZONES_OPT,
      ADB_OPT("Who the aircraft are."),
      TZ_OPT("The report's clock (default the observer's)."),
      {"out", "DIR", "Also write the report as JSON and the day's map (SVG, PNG) in DIR "
       "(created if missing)."}}},
    {"events", "--db FILE [OPTIONS]",
     "Print stored events as JSON Lines, or as a timeline with --text.",
     {{"db", "FILE", "The store."},
      {"zone", "Z", "Only events of zone Z."},
      {"track", "T", "Only events of track T."},
      {"since", "TIME", "Only events at or after TIME (ISO 8601 with a zone, or Unix "
       "seconds)."},
      {"until", "TIME", "Only events at or before TIME."},
      {"text", NULL, "A readable timeline: local time, places in words."},
      TZ_OPT("With --text: the timeline's clock (default UTC)."),
      ADB_OPT("With --text: who the aircraft are."),
      {"nats", "URL", "Instead of a store: read a cluster's events from NATS JetStream "
       "(docs/scale-out.md); with --db, also keep them there."},
      {"prefix", "P", "With --nats: the stream (default adizwatch)."},
      {"follow", NULL, "With --nats: keep reading new events until interrupted."},
      RETRY_OPT}},
    {"publish", "--nats URL [OPTIONS] INPUT...",
     "Publish the reports of inputs (as replay reads them) to a NATS JetStream stream, "
     "partitioned by track, for workers (docs/scale-out.md); publishing again adds nothing.",
     {{"nats", "URL", "The NATS server (nats://HOST:PORT), run with -js."},
      {"prefix", "P", "The stream, and its subjects P.reports.K and P.events (default "
       "adizwatch)."},
      {"partitions", "N", "Partitions of a new stream (default 8); an existing stream's "
       "count cannot be changed."},
      {"format", "auto|csv|sbs|readsb|asterix|beast|raw", "The inputs' format (default: "
       "recognised)."},
      TZ_OPT("The clock of SBS input; default UTC."),
      {"assume-utc", NULL, "Read CSV times written without a zone as UTC."},
      {"end-clock", NULL, "After the inputs, a clock message to every partition: workers "
       "close the visits still open with lost exits, as a watch does when a feed goes quiet."},
      RETRY_OPT}},
    {"worker", "--nats URL --zones ZONES [OPTIONS]",
     "Process a stream's partitions with the other workers: leases, an engine per "
     "partition, events published to P.events exactly once (docs/scale-out.md).",
     {{"nats", "URL", "The NATS server (nats://HOST:PORT), run with -js."},
      ZONES_OPT,
      {"prefix", "P", "The stream (default adizwatch)."},
      {"name", "W", "This worker's name in the leases (default HOST-PID); a worker "
       "restarted under its name takes its partitions back at once."},
      {"lease", "S", "Lease time to live (default 6); renewed every third of it."},
      {"timeout", "S", "A track not heard for S seconds is closed (default 300, as replay)."},
      {"checkpoint-every", "N", "Save a partition's engine state to the stream P_state every "
       "N reports (default 100000; 0: not by count); a worker taking the partition over "
       "resumes from it."},
      {"checkpoint-interval", "S", "... or every S seconds of work, whichever comes first "
       "(default 60; 0: not by time)."},
      {"live-clock", "S", "For live feeds: every S seconds append the wall-clock time to each "
       "owned partition, so that tracks of a feed gone quiet get their lost exits (default "
       "off: only publish --end-clock expires)."},
      RETRY_OPT}},
    {"identify", "TRACK [OPTIONS]",
     "Who a track is: state of registry (from the ICAO address allocation or the aircraft "
     "database), type, military, unidentified.",
     {{"callsign", "C", "The callsign heard."},
      {"squawk", "S", "The Mode A code heard."},
      ADB_OPT("An aircraft database (plane-alert-db CSV).")}},
    {"intercept", "--base LAT,LON --ready-min M --speed-kt V --target LAT,LON,COURSE,KT "
                  "[OPTIONS]",
     "The earliest intercept on the WGS84 ellipsoid, and whether it comes before the intruder, "
     "holding its course, would reach the territory.",
     {{"base", "LAT,LON", "The fighters' base."},
      {"ready-min", "M", "Minutes from the order to wheels up."},
      {"speed-kt", "V", "The fighters' speed."},
      {"target", "LAT,LON,COURSE,KT", "The intruder now: position, course and speed."},
      {"territory", "ZONE_ID", "The territorial airspace to defend (with --zones)."},
      ZONES_OPT,
      {"horizon-min", "H", "Look this many minutes ahead (default 120)."}}},
    {"serve", "--zones ZONES (--connect HOST:PORT | --replay FILE|DIR | --simulate SCENARIO) "
              "[OPTIONS]",
     "The live air picture: a JSON API, a Server-Sent Events stream and an offline web map "
     "on http://127.0.0.1:8080/ (docs/web.md). Read-only without a token.",
     {ZONES_OPT,
      {"connect", "HOST:PORT", "Follow a live feed, as watch does."},
      {"replay", "FILE|DIR", "Replay a recording, paced by its clock: text lines (CSV, SBS, "
       "readsb JSON lines), or aircraft.json snapshots or trace files (a file or a folder, "
       "merged in time order)."},
      {"simulate", "SCENARIO", "Fly a scenario (builtin:2022-11-30) and show it."},
      {"speed", "X", "With --replay or --simulate: X times real time."},
      {"format", "auto|csv|sbs|readsb", "The feed's or file's format."},
      TZ_OPT("The clock of SBS input; default UTC."),
      {"timeout", "S", "A track not heard for S seconds is closed (default 300)."},
      {"db", "FILE", "Keep events in this SQLite file; /api/events and reports read it."},
      ADB_OPT("Who the aircraft are, for labels and colours."),
      {"http", "ADDR:PORT", "Where to listen (default 127.0.0.1:8080); an address other "
       "than loopback needs --token-file."},
      {"token-file", "FILE", "The token that state-changing requests must carry (bearer "
       "header or the login page's cookie); without it the server is read-only."},
      {"allow-host", "NAME[:PORT]", "Also answer requests whose Host is NAME (repeatable); "
       "by default only the bound address and localhost."},
      {"tls-cert", "PEM", "Serve HTTPS with this certificate (with --tls-key)."},
      {"tls-key", "PEM", "The certificate's private key."},
      {"friendly", "CC,..", "Nations (KR,JP) whose aircraft the alert panel does not flag."},
      {"advise", NULL, "Scramble advice and intercepts, listed and drawn on the map "
       "(docs/advice.md)."},
      {"rules", "FILE", "Which zone events become alerts (docs/alerts.md): delivered, and the "
       "only ones the alert panel flags."},
      {"output", "URL", "Send alerts to file:PATH, http(s)://..., mqtt://HOST:PORT/TOPIC or "
       "nats://HOST:PORT/SUBJECT (repeatable)."},
      {"spool", "FILE", "Without --db: the SQLite file alerts wait in."},
      {"deliver-timeout", "S", "On stopping, wait up to S seconds (default 60) for the sinks."}}},
    {"simulate", "SCENARIO|builtin:2022-11-30 [OPTIONS]",
     "Fly a scenario (docs/simulator.md) and write what the radars report, or serve it on a "
     "loopback port for watch.",
     {{"format", "csv|sbs", "What to write (default csv)."},
      {"out", "FILE", "Write to FILE instead of stdout."},
      {"listen", "PORT", "Serve the reports on a loopback TCP port, as a receiver does."},
      {"speed", "X", "Pace at X times real time (default 1 with --listen, as fast as possible "
       "otherwise)."},
      {"seed", "N", "The noise's seed (default 1): the same seed, the same reports."},
      TZ_OPT("The clock of SBS output; default UTC."),
      {"observer", "ID", "Only that nation's radars."},
      ADB_OPT("Also write who each simulated track is, as an aircraft database.")}},
    {"patrol", "--db FILE [--day YYYY-MM-DD [--tz +HH:MM|Area/City] | --from TIME --to TIME] [OPTIONS]",
     "Patrol analysis of the stored trails: groups, escorts, take-offs and landings (abroad?), "
     "straits, missions; JSON Lines, kept as records (docs/patrol.md).",
     {{"db", "FILE", "The store, with trails (--trail-interval)."},
      {"day", "YYYY-MM-DD", "The day to analyse."},
      TZ_OPT("With --day: the day's clock (default UTC)."),
      {"from", "TIME", "Start of the period (instead of --day)."},
      {"to", "TIME", "End of the period."},
      ADB_OPT("Who the aircraft are."),
      {"group-km", "K", "Aircraft within K km fly together (default 10)."},
      {"group-min", "M", "... for at least M minutes (default 10)."},
      {"all-tracks", NULL, "Every track, not only foreign military or unidentified ones."}}},
    {"deliver", "--db FILE [--rules FILE] [--timeout S]",
     "Send the alerts still queued in a store or spool file to the outputs they were queued "
     "for (docs/alerts.md); exit status 3 if some are still queued after the timeout.",
     {{"db", "FILE", "The store (replay/watch --db) or spool file (--spool)."},
      {"spool", "FILE", "The same as --db."},
      {"rules", "FILE", "The rule file whose [output] sections give the outputs' headers, "
       "templates and credentials."},
      {"timeout", "S", "Wait up to S seconds (default 60)."}}},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const char footer[] =
    "ZONES is a GeoJSON file (adizwatch-zones(5)) or builtin:east-asia; join several with "
    "commas. TIME is ISO 8601 with a zone (2022-11-30T05:48:00+09:00) or Unix seconds.";
static const char exit_status[] =
    "0 done, 1 failed while running, 2 bad usage or a bad zone or rule file (nothing was "
    "run), 3 alerts still queued when the delivery timeout ran out.";

static const help_command *find(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

/* text wrapped at width, each line indented by indent (the first by first_indent, after
 * `col` characters already on it). */
static void wrap(FILE *out, const char *text, int indent, int col, int width)
{
    int at = col;
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, " ");
        if (at > indent && at + 1 + (int)n > width) {
            fprintf(out, "\n%*s", indent, "");
            at = indent;
        } else if (at > indent || (at == indent && col > indent && p != text)) {
            fputc(' ', out);
            at++;
        }
        if (at < indent) {
            fprintf(out, "%*s", indent - at, "");
            at = indent;
        }
        fwrite(p, 1, n, out);
        at += (int)n;
        p += n;
        while (*p == ' ')
            p++;
    }
    fputc('\n', out);
}

static void print_synopsis(FILE *out, const help_command *c, const char *lead)
{
    const char *s = c->synopsis;
    for (bool first = true; *s; first = false) {
        size_t n = strcspn(s, "\n");
        fprintf(out, "%s%s %.*s\n", first ? lead : "       ", c->name, (int)n, s);
        s += n + (s[n] == '\n');
        if (first)
            lead = "       ";
    }
}

void cli_usage(const char *name, FILE *out)
{
    const help_command *c = find(name);
    if (!c)
        return;
    print_synopsis(out, c, "usage: adizwatch ");
    fprintf(out, "       (adizwatch %s --help lists the options)\n", name);
}

void cli_help(FILE *out)
{
    fputs("usage: adizwatch COMMAND [OPTIONS]   (adizwatch COMMAND --help for its options)\n"
          "       adizwatch --version\n\n", out);
    for (size_t i = 0; i < NCOMMANDS; i++) {
        const help_command *c = &commands[i];
        const char *s = c->synopsis;
        for (bool first = true; *s; first = false) {
            size_t n = strcspn(s, "\n");
            fprintf(out, "  %s%-*s%.*s\n", first ? c->name : "", first ? 10 - (int)strlen(c->name)
                    : 10, "", (int)n, s);
            s += n + (s[n] == '\n');
        }
        fprintf(out, "%12s", "");
        wrap(out, c->summary, 12, 12, 88);
    }
    fputc('\n', out);
    wrap(out, footer, 0, 0, 88);
    fputs("Exit status: ", out);
    wrap(out, exit_status, 0, 13, 88);
}

int cli_help_command(const char *name, FILE *out)
{
    const help_command *c = find(name);
    if (!c)
        return -1;
    print_synopsis(out, c, "usage: adizwatch ");
    fputc('\n', out);
    wrap(out, c->summary, 0, 0, 88);
    fputs("\noptions:\n", out);
    for (const help_option *o = c->options; o->name; o++) {
        int col = fprintf(out, "  --%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        if (col > 28) {
            fputc('\n', out);
            col = 0;
        }
        wrap(out, o->text, 30, col, 88);
    }
    fputs("  --help", out);
    wrap(out, "Print this help and exit.", 30, 8, 88);
    return 0;
}

/* troff: a line starting with . or ' would be a request; backslashes and dashes escaped. */
static void roff(FILE *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n && s[i]; i++) {
        if (s[i] == '\\')
            fputs("\\e", out);
        else if (s[i] == '-')
            fputs("\\-", out);
        else if (i == 0 && (s[i] == '.' || s[i] == '\''))
            fputs("\\&.", out);
        else
            fputc(s[i], out);
    }
}

static void roff_str(FILE *out, const char *s) { roff(out, s, strlen(s)); }

void cli_help_man(FILE *out)
{
    fprintf(out, ".TH ADIZWATCH 1 \"\" \"adizwatch %s\" \"User Commands\"\n", AW_VERSION_STRING);
    fputs(".SH NAME\nadizwatch \\- air defence identification zone monitor\n"
          ".SH SYNOPSIS\n.B adizwatch\n.I COMMAND\n[\\fIOPTIONS\\fR]\n.br\n"
          ".B adizwatch\n\\fICOMMAND\\fR \\-\\-help\n.br\n.B adizwatch \\-\\-version\n"
          ".SH DESCRIPTION\n"
          "adizwatch takes aircraft position reports (ADS\\-B feeds, radar tracks, recordings), "
          "knows the zones that matter \\(em air defence identification zones, 12 NM "
          "territorial airspace, any GeoJSON polygon with an altitude band \\(em and tells who "
          "entered which zone, when, where, how deep and how long. Events are JSON Lines on "
          "standard output; problems and summaries go to standard error.\n"
          ".SH COMMANDS\n", out);
    for (size_t i = 0; i < NCOMMANDS; i++) {
        const help_command *c = &commands[i];
        fprintf(out, ".SS %s\n", c->name);
        for (const char *s = c->synopsis; *s;) {
            size_t n = strcspn(s, "\n");
            fprintf(out, ".B adizwatch %s\n", c->name);
            roff(out, s, n);
            fputs("\n.br\n", out);
            s += n + (s[n] == '\n');
        }
        fputs(".PP\n", out);
        roff_str(out, c->summary);
        fputc('\n', out);
        for (const help_option *o = c->options; o->name; o++) {
            fputs(".TP\n.B \\-\\-", out);
            roff_str(out, o->name);
            if (o->arg) {
                fputs(" \\fI", out);
                roff_str(out, o->arg);
                fputs("\\fR", out);
            }
            fputc('\n', out);
            roff_str(out, o->text);
            fputc('\n', out);
        }
        fputs(".TP\n.B \\-\\-help\nPrint the command's options and exit.\n", out);
    }
    fputs(".SH ZONES AND TIMES\n", out);
    roff_str(out, footer);
    fputs("\n.SH EXIT STATUS\n", out);
    roff_str(out, exit_status);
    fputs("\n.SH EXAMPLES\n.nf\n"
          "adizwatch simulate builtin:2022\\-11\\-30 \\-\\-out patrol.csv\n"
          "adizwatch replay \\-\\-zones builtin:east\\-asia \\-\\-db day.db patrol.csv\n"
          "adizwatch report \\-\\-db day.db \\-\\-day 2022\\-11\\-30 \\-\\-observer KR\n"
          "adizwatch watch \\-\\-connect 127.0.0.1:30003 \\-\\-zones builtin:east\\-asia\n"
          ".fi\n.SH SEE ALSO\n.BR adizwatch\\-zones (5),\n.BR libadizwatch (3)\n", out);
}

void cli_help_bash(FILE *out)
{
    fputs("# bash completion for adizwatch -- generated by `adizwatch help --bash-completion`\n"
          "_adizwatch() {\n"
          "    local cur=\"${COMP_WORDS[COMP_CWORD]}\" cmd=\"${COMP_WORDS[1]}\" opts\n"
          "    if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
          "        COMPREPLY=($(compgen -W \"", out);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "%s ", commands[i].name);
    fputs("help --help --version\" -- \"$cur\"))\n        return\n    fi\n"
          "    case \"$cmd\" in\n", out);
    for (size_t i = 0; i < NCOMMANDS; i++) {
        fprintf(out, "    %s) opts=\"", commands[i].name);
        for (const help_option *o = commands[i].options; o->name; o++)
            fprintf(out, "--%s ", o->name);
        fputs("--help\" ;;\n", out);
    }
    fputs("    *) return ;;\n    esac\n"
          "    if [[ \"$cur\" == -* ]]; then\n"
          "        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
          "    else\n"
          "        COMPREPLY=($(compgen -f -- \"$cur\"))\n"
          "    fi\n}\ncomplete -o filenames -F _adizwatch adizwatch\n", out);
}
