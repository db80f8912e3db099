/*
 * floor: the least a header check of every file in a directory can cost, to measure
 * `audiopreflight check --header-only DIR` against. It lists DIR in lexical order (as check's
 * walk does), then two threads take the files in turn and, for each, do what check's header read
 * does at the least: open, fstat, one pread of the first 4 KiB, close. It decides nothing and
 * prints only the count of files and bytes read, so it is faster than any real checker can be.
 *
 * usage: floor DIR [THREADS]   (THREADS defaults to 2, the cores the budgets are set for)
 * build: cc -O2 -pthread -o floor floor.c
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int dirfd_;
static struct dirent **names;
static int count;
static atomic_int next;
static atomic_long total;

static int regular(const struct dirent *d) { return d->d_name[0] != '.'; }

static void *work(void *arg) {
    char buf[4096];
    long bytes = 0;
    (void)arg;
    for (;;) {
        int i = atomic_fetch_add(&next, 1);
        if (i >= count)
            break;
        int fd = openat(dirfd_, names[i]->d_name, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            perror(names[i]->d_name);
            continue;
        }
        struct stat st;
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
            ssize_t n = pread(fd, buf, sizeof buf, 0);
            if (n > 0)
                bytes += n;
        }
        close(fd);
    }
    atomic_fetch_add(&total, bytes);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: floor DIR [THREADS]\n");
        return 2;
    }
    int threads = argc == 3 ? atoi(argv[2]) : 2;
    if (threads < 1 || threads > 64)
        threads = 2;
    dirfd_ = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd_ < 0) {
        perror(argv[1]);
        return 1;
    }
    count = scandir(argv[1], &names, regular, alphasort);
    if (count < 0) {
        perror(argv[1]);
        return 1;
    }
    pthread_t tid[64];
    for (int t = 0; t < threads; t++)
        pthread_create(&tid[t], NULL, work, NULL);
    for (int t = 0; t < threads; t++)
        pthread_join(tid[t], NULL);
    printf("%d files, %ld bytes read\n", count, (long)atomic_load(&total));
    return 0;
}
