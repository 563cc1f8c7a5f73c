/* The floor for acceptance line 3 of the speed issue: libcsv's own state machine over a file, single
 * threaded, with empty callbacks. Prints MB/s. usage: raw-libcsv FILE */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void field(void *data, size_t len, void *ctx) { (void)data; (void)len; ++*(size_t *)ctx; }
static void record(int c, void *ctx) { (void)c; (void)ctx; }

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: raw-libcsv FILE\n"); return 64; }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 66; }
    struct csv_parser p;
    if (csv_init(&p, 0) != 0) return 70;
    static char buf[1 << 20];
    size_t n, bytes = 0, fields = 0;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (csv_parse(&p, buf, n, field, record, &fields) != n) { fprintf(stderr, "%s\n", csv_strerror(csv_error(&p))); return 65; }
        bytes += n;
    }
    csv_fini(&p, field, record, &fields);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double s = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
    printf("%.1f\n", bytes / 1e6 / s);
    csv_free(&p);
    fclose(f);
    return 0;
}
