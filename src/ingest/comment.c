/* comment.c -- comment lines in track input, and the one that says where tracks came from.
 *
 * A report must say whether its tracks were recorded or simulated (docs/report.md). The
 * surest carrier of that fact is the track file itself: `simulate` writes a comment line
 * first, and every reader of CSV or SBS skips comments, so a simulated file read by
 * anything else still parses, and `replay --db` keeps the line as the file's provenance. */
#include <string.h>

#include "adizwatch/ingest.h"

bool aw_line_is_comment(const char *line, size_t len) { return len > 0 && line[0] == '#'; }

const char *aw_provenance_comment(const char *line, size_t len, size_t *json_len)
{
    size_t n = strlen(AW_PROVENANCE_PREFIX);
    if (len <= n || memcmp(line, AW_PROVENANCE_PREFIX, n) != 0)
        return NULL;
    size_t end = len;
    while (end > n && (line[end - 1] == '\r' || line[end - 1] == '\n' || line[end - 1] == ' '))
        end--;
    if (line[n] != '{' || line[end - 1] != '}')
        return NULL;
    *json_len = end - n;
    return line + n;
}
