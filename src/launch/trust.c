// SPDX-License-Identifier: MIT
/*
 * The one place that decides whether a profile is trusted, and reads it.
 *
 * A name is looked up in the store by walking from '/' with openat(), one
 * component at a time, never following a symlink, and checking each
 * folder on the descriptor just opened (fstat, never stat on a path), so
 * nothing can be swapped between the check and the use.  The file is read
 * through the very descriptor that was checked.
 */
#include "sysfence/launch/trust.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sysfence/blob.h"
#include "sysfence/util.h"

static int fail(int err, char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(int err, char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	util_vfail(why, whylen, fmt, ap);
	va_end(ap);
	return -err;
}

enum trust_kind trust_classify(const char *arg)
{
	return strchr(arg, '/') ? TRUST_USER_PATH : TRUST_STORE_NAME;
}

static bool name_char(char c, bool first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return !first && (c == '.' || c == '_' || c == '+' || c == '-');
}

bool trust_name_valid(const char *name)
{
	size_t n = 0;

	/* The first character is alphanumeric, so "." and ".." never pass. */
	for (; name[n]; n++)
		if (n >= TRUST_NAME_MAX || !name_char(name[n], n == 0))
			return false;
	return n > 0;
}

/* The rule for every folder and the file of the store. */
static int check_owner(const struct stat *st, const char *what, const char *path, char *why,
		       size_t whylen)
{
	if (st->st_uid != 0)
		return fail(EPERM, why, whylen, "%s %s is not owned by root", what, path);
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return fail(EPERM, why, whylen, "%s %s is writable by group or others", what, path);
	return 0;
}

int trust_read_exact(int fd, size_t size, uint8_t **out)
{
	uint8_t *buf = malloc(size + 1);
	size_t len = 0;

	*out = NULL;
	if (!buf)
		return -ENOMEM;
	/* One byte of room past the expected size detects a longer file. */
	while (len <= size) {
		ssize_t n = read(fd, buf + len, size + 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			free(buf);
			return -e;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len != size) {
		free(buf);
		return -EIO;
	}
	*out = buf;
	return 0;
}

/* Checks an open profile file and reads it through the same descriptor. */
static int read_checked(int fd, bool trusted, const char *shown, struct trust_profile *out,
			char *why, size_t whylen)
{
	struct stat st;
	int rc;

	if (fstat(fd, &st) < 0)
		return fail(errno, why, whylen, "cannot stat %s: %s", shown, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return fail(EINVAL, why, whylen, "%s is not a regular file", shown);
	if (trusted) {
		rc = check_owner(&st, "profile", shown, why, whylen);
		if (rc)
			return rc;
		/* A second link could be a root-owned file hard-linked elsewhere. */
		if (st.st_nlink != 1)
			return fail(EPERM, why, whylen, "profile %s has more than one link", shown);
	}
	if (st.st_size < 0 || (uintmax_t)st.st_size > BLOB_MAX_SIZE)
		return fail(EFBIG, why, whylen, "%s is larger than a profile can be", shown);
	rc = trust_read_exact(fd, (size_t)st.st_size, &out->data);
	if (rc == -EIO)
		return fail(EIO, why, whylen, "%s changed while it was read", shown);
	if (rc)
		return fail(-rc, why, whylen, "cannot read %s: %s", shown, strerror(-rc));
	out->len = (size_t)st.st_size;
	out->kind = trusted ? TRUST_STORE_NAME : TRUST_USER_PATH;
	return 0;
}

/* Opens a folder below dirfd (or "/") without following a symlink. */
static int open_folder(int dirfd, const char *name, const char *shown, char *why, size_t whylen)
{
	struct stat st;
	int fd, rc;

	/* O_PATH: only search permission is needed, as for any lookup. */
	fd = openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		if (e == ENOENT)
			return fail(ENOENT, why, whylen, "folder %s does not exist", shown);
		if (e == ELOOP || e == ENOTDIR)
			return fail(e, why, whylen,
				    "%s is not a folder (symlinks are not followed)", shown);
		return fail(e, why, whylen, "cannot open folder %s: %s", shown, strerror(e));
	}
	if (fstat(fd, &st) < 0) {
		rc = fail(errno, why, whylen, "cannot stat folder %s: %s", shown, strerror(errno));
		close(fd);
		return rc;
	}
	rc = S_ISDIR(st.st_mode) ? check_owner(&st, "folder", shown, why, whylen)
				 : fail(ENOTDIR, why, whylen, "%s is not a folder", shown);
	if (rc) {
		close(fd);
		return rc;
	}
	return fd;
}

int trust_read_store(const char *dir, const char *name, struct trust_profile *out, char *why,
		     size_t whylen)
{
	char path[PATH_MAX], shown[PATH_MAX], file[TRUST_NAME_MAX + 5];
	char *save = NULL, *comp;
	size_t shown_len = 0;
	int dirfd, fd, rc;

	memset(out, 0, sizeof(*out));
	if (!trust_name_valid(name))
		return fail(EINVAL, why, whylen,
			    "invalid profile name (want [A-Za-z0-9][A-Za-z0-9._+-]*, "
			    "at most %u bytes)",
			    TRUST_NAME_MAX);
	if (dir[0] != '/')
		return fail(EINVAL, why, whylen, "profile folder is not an absolute path");
	if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path))
		return fail(ENAMETOOLONG, why, whylen, "profile folder path too long");
	snprintf(file, sizeof(file), "%s.bin", name);

	shown[0] = '\0';
	dirfd = open_folder(AT_FDCWD, "/", "/", why, whylen);
	if (dirfd < 0)
		return dirfd;
	for (comp = strtok_r(path, "/", &save); comp; comp = strtok_r(NULL, "/", &save)) {
		int next;

		if (!strcmp(comp, ".") || !strcmp(comp, "..")) {
			close(dirfd);
			return fail(EINVAL, why, whylen,
				    "profile folder must not contain '.' or '..'");
		}
		/* Never longer than path: components only lose repeated '/'. */
		shown_len +=
			(size_t)snprintf(shown + shown_len, sizeof(shown) - shown_len, "/%s", comp);
		if (shown_len >= sizeof(shown)) {
			close(dirfd);
			return fail(ENAMETOOLONG, why, whylen, "profile folder path too long");
		}
		next = open_folder(dirfd, comp, shown, why, whylen);
		close(dirfd);
		if (next < 0)
			return next;
		dirfd = next;
	}
	snprintf(shown + shown_len, sizeof(shown) - shown_len, "/%s", file);

	/*
	 * O_NOFOLLOW: a symlink fails with ELOOP.  O_NONBLOCK|O_NOCTTY: a
	 * FIFO or a terminal cannot hang or adopt us before fstat refuses it.
	 */
	fd = openat(dirfd, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	rc = errno;
	close(dirfd);
	if (fd < 0) {
		if (rc == ENOENT)
			return fail(ENOENT, why, whylen, "no such profile in %s", dir);
		if (rc == ELOOP)
			return fail(ELOOP, why, whylen, "%s is a symlink", shown);
		return fail(rc, why, whylen, "cannot open %s: %s", shown, strerror(rc));
	}
	rc = read_checked(fd, true, shown, out, why, whylen);
	close(fd);
	return rc;
}

int trust_read_path(const char *path, struct trust_profile *out, char *why, size_t whylen)
{
	int fd, rc;

	memset(out, 0, sizeof(*out));
	/* Untrusted, read with the caller's own rights: symlinks are fine. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		rc = errno;
		if (rc == ENOENT)
			return fail(ENOENT, why, whylen, "no such file");
		return fail(rc, why, whylen, "cannot open: %s", strerror(rc));
	}
	rc = read_checked(fd, false, "profile file", out, why, whylen);
	close(fd);
	return rc;
}

void trust_profile_free(struct trust_profile *p)
{
	free(p->data);
	p->data = NULL;
	p->len = 0;
}
