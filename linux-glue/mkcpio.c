/*
 * mkcpio: write an uncompressed "newc" cpio archive (the initramfs format)
 * to stdout from a list of entries, without needing root for device nodes.
 *
 * Input (file named on the command line, or stdin), one entry per line:
 *
 *   dir  <path> <octal-mode>
 *   file <path> <octal-mode> <host-file>
 *   nod  <path> <octal-mode> <c|b> <major> <minor>
 *   # comment
 *
 * All entries are owned by root:root with mtime 0, so the same inputs give
 * the same archive byte for byte.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static unsigned long next_ino = 1;
static unsigned long long written;
static const char *listname = "<stdin>";
static int lineno;

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "mkcpio: %s:%d: ", listname, lineno);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(1);
}

static void out(const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, stdout) != n) {
		fprintf(stderr, "mkcpio: write error: %s\n", strerror(errno));
		exit(1);
	}
	written += n;
}

static void pad4(void)
{
	static const char zeros[4];

	out(zeros, (4 - written % 4) % 4);
}

/* Writes one entry header; every newc field is 32 bits, as 8 hex digits. */
static void header(const char *name, unsigned long mode, unsigned long nlink,
		   unsigned long size, unsigned long rmaj, unsigned long rmin)
{
	/* ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor,
	 * rdevmajor, rdevminor, namesize, check */
	unsigned long field[13] = {
		next_ino++, mode, 0, 0, nlink, 0, size, 0, 0, rmaj, rmin, strlen(name) + 1, 0,
	};
	char hdr[8 + 1];

	out("070701", 6);
	for (int i = 0; i < 13; i++) {
		if (field[i] > 0xfffffffful)
			die("value too large for a cpio header in entry '%s'", name);
		snprintf(hdr, sizeof(hdr), "%08lX", field[i]);
		out(hdr, 8);
	}
	out(name, field[11]);
	pad4();
}

/* Archive names have no leading slash: "/dev/console" -> "dev/console". */
static const char *archive_name(const char *path)
{
	while (*path == '/')
		path++;
	if (!*path)
		die("bad path '%s'", path);
	return path;
}

static unsigned long parse_mode(const char *s)
{
	char *end;
	unsigned long m = strtoul(s, &end, 8);

	if (!*s || *end || m > 07777)
		die("bad mode '%s'", s);
	return m;
}

static void add_file(const char *name, unsigned long mode, const char *host)
{
	FILE *f = fopen(host, "rb");
	char buf[65536];
	long size;
	size_t n;

	if (!f)
		die("cannot open '%s'", host);
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
		die("cannot size '%s'", host);
	header(name, S_IFREG | mode, 1, (unsigned long)size, 0, 0);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		out(buf, n);
		size -= (long)n;
	}
	if (ferror(f) || size != 0)
		die("read error or size change on '%s'", host);
	fclose(f);
	pad4();
}

int main(int argc, char **argv)
{
	FILE *in = stdin;
	char line[4096];

	if (argc > 2 || (argc == 2 && strcmp(argv[1], "--help") == 0)) {
		fprintf(stderr, "usage: mkcpio [LIST] > archive.cpio\n");
		return 2;
	}
	if (argc == 2) {
		listname = argv[1];
		in = fopen(listname, "r");
		if (!in) {
			fprintf(stderr, "mkcpio: cannot open %s: %s\n", listname, strerror(errno));
			return 1;
		}
	}
	while (fgets(line, sizeof(line), in)) {
		char *f[7];
		int nf = 0;

		lineno++;
		for (char *tok = strtok(line, " \t\r\n"); tok && nf < 7; tok = strtok(NULL, " \t\r\n"))
			f[nf++] = tok;
		if (nf == 0 || f[0][0] == '#')
			continue;
		if (strcmp(f[0], "dir") == 0 && nf == 3) {
			header(archive_name(f[1]), S_IFDIR | parse_mode(f[2]), 2, 0, 0, 0);
		} else if (strcmp(f[0], "file") == 0 && nf == 4) {
			add_file(archive_name(f[1]), parse_mode(f[2]), f[3]);
		} else if (strcmp(f[0], "nod") == 0 && nf == 6) {
			unsigned long type;

			if (strcmp(f[3], "c") == 0)
				type = S_IFCHR;
			else if (strcmp(f[3], "b") == 0)
				type = S_IFBLK;
			else
				die("device type must be c or b, not '%s'", f[3]);
			header(archive_name(f[1]), type | parse_mode(f[2]), 1, 0,
			       strtoul(f[4], NULL, 10), strtoul(f[5], NULL, 10));
		} else {
			die("cannot parse entry '%s'", f[0]);
		}
	}
	if (ferror(in))
		die("read error%s", "");
	next_ino = 0;
	header("TRAILER!!!", 0, 1, 0, 0, 0);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "mkcpio: write error: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
