// SPDX-License-Identifier: MIT
/*
 * The one place that decides what is trusted: a profile from the store,
 * and a program the profile is bound to.
 *
 * A store path is trusted when "/" and every folder below it down to the
 * file are root-owned, not group/other writable and not symlinks.  Each
 * is checked in order with fstatat(AT_SYMLINK_NOFOLLOW) on its full path:
 * once a folder is trusted, only root can change its entries, so the next
 * component is the one root put there, at the check and at the use alike
 * (no rename race is open to the caller).  That takes one call per folder
 * instead of an openat() walk's three.  The file itself is opened without
 * following a symlink, checked with fstat() on that descriptor and read
 * through it.
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
#include <sys/statfs.h>
#include <sys/statvfs.h> /* ST_NOSUID, which statfs.f_flags also uses */
#include <sys/xattr.h>
#include <unistd.h>

#include "sysfence/util.h"

/* The kernel's own limit on symlinks in one lookup (MAXSYMLINKS). */
#define TRUST_MAX_SYMLINKS 40

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

/* The rule for every folder and file trust rests on. */
static int check_owner(const struct stat *st, const char *what, const char *path, char *why,
		       size_t whylen)
{
	if (st->st_uid != 0)
		return fail(EPERM, why, whylen, "%s %s is not owned by root", what, path);
	/* With an ACL the group bits are its mask: a named writer shows here. */
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return fail(EPERM, why, whylen, "%s %s is writable by group or others", what, path);
	return 0;
}

/* A trusted folder: path is absolute, its parents already checked. */
static int check_folder(const char *path, char *why, size_t whylen)
{
	struct stat st;

	if (fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		int e = errno;

		if (e == ENOENT)
			return fail(ENOENT, why, whylen, "folder %s does not exist", path);
		return fail(e, why, whylen, "cannot stat folder %s: %s", path, strerror(e));
	}
	if (S_ISLNK(st.st_mode))
		return fail(ELOOP, why, whylen, "%s is not a folder (symlinks are not followed)",
			    path);
	if (!S_ISDIR(st.st_mode))
		return fail(ENOTDIR, why, whylen, "%s is not a folder", path);
	return check_owner(&st, "folder", path, why, whylen);
}

int trust_read_exact(int fd, size_t size, uint8_t **out)
{
	uint8_t *buf = malloc(size + 1);
	ssize_t n;

	*out = NULL;
	if (!buf)
		return -ENOMEM;
	/*
	 * One byte of room past the expected size detects a longer file.  A
	 * regular file returns all it has up to the count, so the common
	 * case is one read: exactly size bytes means the end was reached.
	 */
	n = fd_read_upto(fd, buf, size, size + 1);
	if (n != (ssize_t)size) {
		free(buf);
		return n < 0 ? (int)n : -EIO;
	}
	*out = buf;
	return 0;
}

/*
 * Checks an open profile file and reads it through the same descriptor.
 * *replaced: the file had no name left when checked (a trusted file renamed
 * over, or removed, after the open); its contents are still whole.
 */
static int read_checked(int fd, bool trusted, const char *shown, struct trust_profile *out,
			bool *replaced, char *why, size_t whylen)
{
	struct stat st;
	int rc;

	*replaced = false;
	if (fstat(fd, &st) < 0)
		return fail(errno, why, whylen, "cannot stat %s: %s", shown, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return fail(EINVAL, why, whylen, "%s is not a regular file", shown);
	if (trusted) {
		rc = check_owner(&st, "profile", shown, why, whylen);
		if (rc)
			return rc;
		/* A second name could be a root-owned file hard-linked elsewhere. */
		if (st.st_nlink > 1)
			return fail(EPERM, why, whylen, "profile %s has more than one link", shown);
		*replaced = st.st_nlink == 0;
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

/* Opens and reads the file of a checked store (path), retrying a replaced file. */
static int read_store_file(const char *path, const char *dir, struct trust_profile *out, char *why,
			   size_t whylen)
{
	for (unsigned attempt = 0;; attempt++) {
		bool replaced;
		int fd, rc;

		/*
		 * O_NOFOLLOW: a symlink fails with ELOOP.  O_NONBLOCK|O_NOCTTY:
		 * a FIFO or a terminal cannot hang or adopt us before fstat
		 * refuses it.
		 */
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
		if (fd < 0) {
			rc = errno;
			if (rc == ENOENT)
				return fail(ENOENT, why, whylen, "no such profile in %s", dir);
			if (rc == ELOOP)
				return fail(ELOOP, why, whylen, "%s is a symlink", path);
			return fail(rc, why, whylen, "cannot open %s: %s", path, strerror(rc));
		}
		rc = read_checked(fd, true, path, out, &replaced, why, whylen);
		close(fd);
		/*
		 * No link left: the file was renamed over (an atomic upgrade)
		 * or removed between the open and the fstat.  Open the name
		 * again for the new one (or ENOENT for a removal); after a few
		 * replacements in a row keep this one, which was the store's
		 * file when it was opened and is whole.
		 */
		if (rc || !replaced || attempt == TRUST_REPLACED_RETRIES) {
			out->reopened = attempt;
			return rc;
		}
		trust_profile_free(out);
	}
}

int trust_read_store(const char *dir, const char *name, struct trust_profile *out, char *why,
		     size_t whylen)
{
	char path[PATH_MAX];
	size_t len = 0, nlen;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!trust_name_valid(name))
		return fail(EINVAL, why, whylen,
			    "invalid profile name (want [A-Za-z0-9][A-Za-z0-9._+-]*, at most %u "
			    "bytes: NAME.bin must fit a file name)",
			    TRUST_NAME_MAX);
	if (dir[0] != '/')
		return fail(EINVAL, why, whylen, "profile folder is not an absolute path");
	if (strlen(dir) >= sizeof(path))
		return fail(ENAMETOOLONG, why, whylen, "profile folder path too long");

	rc = check_folder("/", why, whylen);
	if (rc)
		return rc;
	/*
	 * Each component in turn, appended to path (never longer than dir:
	 * components only lose repeated '/'); plain copies, no formatting on
	 * the common path.
	 */
	for (const char *comp = dir;;) {
		const char *end;
		size_t clen;

		while (*comp == '/')
			comp++;
		if (!*comp)
			break;
		end = strchrnul(comp, '/');
		clen = (size_t)(end - comp);
		if ((clen == 1 && comp[0] == '.') ||
		    (clen == 2 && comp[0] == '.' && comp[1] == '.'))
			return fail(EINVAL, why, whylen,
				    "profile folder must not contain '.' or '..'");
		path[len++] = '/';
		memcpy(path + len, comp, clen);
		len += clen;
		path[len] = '\0';
		rc = check_folder(path, why, whylen);
		if (rc)
			return rc;
		comp = end;
	}
	nlen = strlen(name);
	if (len + 1 + nlen + sizeof(".bin") > sizeof(path))
		return fail(ENAMETOOLONG, why, whylen, "profile path too long");
	path[len++] = '/';
	memcpy(path + len, name, nlen);
	memcpy(path + len + nlen, ".bin", sizeof(".bin"));
	return read_store_file(path, dir, out, why, whylen);
}

int trust_read_path(const char *path, struct trust_profile *out, char *why, size_t whylen)
{
	bool replaced;
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
	rc = read_checked(fd, false, "profile file", out, &replaced, why, whylen);
	close(fd);
	return rc;
}

void trust_profile_free(struct trust_profile *p)
{
	free(p->data);
	p->data = NULL;
	p->len = 0;
}

/*
 * Resolves a bound path to the file it names, trusting nothing the caller
 * could change: "/" and every folder on the way root-owned and not
 * group/other writable, symlinks (Debian's /bin -> usr/bin) only inside
 * such folders and owned by root, the file regular, root-owned, not
 * group/other writable.  `done` only ever holds checked folders without
 * symlinks, so ".." in a symlink's target is its lexical parent.  Returns
 * 0 with the file's stat in *out, or -1 with a reason in why.
 */
static int resolve_binding(const char *binding, struct stat *out, char *why, size_t whylen)
{
	char done[PATH_MAX] = "", todo[PATH_MAX], next[PATH_MAX], target[PATH_MAX];
	unsigned links = 0;

	memset(out, 0, sizeof(*out)); /* inode 0 is no file's */
	if (snprintf(todo, sizeof(todo), "%s", binding) >= (int)sizeof(todo))
		return util_fail(why, whylen, "path too long");
	if (check_folder("/", why, whylen))
		return -1;
	for (;;) {
		char *comp = todo, *rest;
		size_t dlen = strlen(done), clen;
		struct stat st;
		ssize_t n;

		while (*comp == '/')
			comp++;
		rest = strchrnul(comp, '/');
		clen = (size_t)(rest - comp);
		while (*rest == '/')
			rest++;
		if (!clen)
			return util_fail(why, whylen, "%s is a folder", done[0] ? done : "/");
		if (clen == 1 && comp[0] == '.') {
			memmove(todo, rest, strlen(rest) + 1);
			continue;
		}
		if (clen == 2 && comp[0] == '.' && comp[1] == '.') {
			char *slash = strrchr(done, '/');

			if (slash)
				*slash = '\0';
			memmove(todo, rest, strlen(rest) + 1);
			continue;
		}
		if (dlen + 1 + clen >= sizeof(done))
			return util_fail(why, whylen, "path too long");
		snprintf(done + dlen, sizeof(done) - dlen, "/%.*s", (int)clen, comp);
		if (fstatat(AT_FDCWD, done, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return util_fail(why, whylen, "%s: %s", done, strerror(errno));
		if (S_ISLNK(st.st_mode)) {
			if (st.st_uid != 0)
				return util_fail(why, whylen, "symlink %s is not owned by root",
						 done);
			if (++links > TRUST_MAX_SYMLINKS)
				return util_fail(why, whylen, "too many symlinks");
			n = readlink(done, target, sizeof(target) - 1);
			if (n <= 0)
				return util_fail(why, whylen, "cannot read symlink %s", done);
			target[n] = '\0';
			done[dlen] = '\0'; /* the link's folder */
			if (target[0] == '/')
				done[0] = '\0';
			if (snprintf(next, sizeof(next), "%s%s%s", target, *rest ? "/" : "",
				     rest) >= (int)sizeof(next))
				return util_fail(why, whylen, "path too long");
			memcpy(todo, next, strlen(next) + 1);
			continue;
		}
		if (S_ISDIR(st.st_mode) && *rest) {
			if (check_owner(&st, "folder", done, why, whylen))
				return -1;
			memmove(todo, rest, strlen(rest) + 1);
			continue;
		}
		if (!S_ISREG(st.st_mode) || *rest)
			return util_fail(why, whylen, "%s is not a regular file", done);
		if (check_owner(&st, "file", done, why, whylen))
			return -1;
		*out = st;
		return 0;
	}
}

/*
 * Does executing this file raise the caller's privileges?  The kernel's
 * rule (commoncap.c): a setuid bit of another owner, a setgid bit (with
 * group execute) of another group, or file capabilities, on a mount without
 * nosuid.  Only then does the kernel run the program in secure-execution
 * mode (AT_SECURE): no LD_PRELOAD, no ptrace by the caller, a sanitised
 * start.  A program without it is the caller's to steer (environment,
 * ptrace), so a binding to it would let the caller run anything without
 * no_new_privs.
 */
static bool exec_raises_privileges(int fd, const struct stat *st, bool readable, uid_t uid,
				   gid_t gid)
{
	struct statfs fs;

	if (fstatfs(fd, &fs) < 0 || (fs.f_flags & ST_NOSUID))
		return false;
	if ((st->st_mode & S_ISUID) && st->st_uid != uid)
		return true;
	if ((st->st_mode & S_ISGID) && (st->st_mode & S_IXGRP) && st->st_gid != gid)
		return true;
	/* fgetxattr needs a real descriptor: an execute-only file has none. */
	return readable && fgetxattr(fd, "security.capability", NULL, 0) > 0;
}

bool trust_program_bound(const struct blob *b, int fd, bool readable, uid_t uid, gid_t gid,
			 char *why, size_t whylen)
{
	char first[400] = "";
	struct stat st, bound;
	char magic[2];

	if (!b->nbindings) {
		util_fail(why, whylen, "the profile is bound to no program");
		return false;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		util_fail(why, whylen, "the program is not a regular file");
		return false;
	}
	/* Root gains nothing from a setuid bit, and is not fooled by one. */
	if (uid != 0 && !exec_raises_privileges(fd, &st, readable, uid, gid)) {
		util_fail(why, whylen,
			  "the program gains no privileges when run (no setuid, setgid or file "
			  "capability, or a nosuid mount)");
		return false;
	}
	/*
	 * A script runs through its interpreter, which the kernel starts
	 * without the script's privileges and the caller steers through the
	 * environment.  An unreadable one cannot be checked here, but the
	 * kernel refuses to run a script from a close-on-exec descriptor
	 * (execveat: ENOENT) before any interpreter starts.
	 */
	if (readable && pread(fd, magic, sizeof(magic), 0) == (ssize_t)sizeof(magic) &&
	    magic[0] == '#' && magic[1] == '!') {
		util_fail(why, whylen, "the program is a script (#!): scripts are never bound");
		return false;
	}
	for (uint32_t i = 0; i < b->nbindings; i++) {
		char reason[256];

		if (resolve_binding(blob_binding(b, i), &bound, reason, sizeof(reason))) {
			if (!first[0])
				snprintf(first, sizeof(first),
					 "; binding %.100s does not count: %.250s",
					 blob_binding(b, i), reason);
			continue;
		}
		if (bound.st_dev == st.st_dev && bound.st_ino == st.st_ino) {
			util_fail(why, whylen, "the program is %.200s, a bound program",
				  blob_binding(b, i));
			return true;
		}
	}
	util_fail(why, whylen, "the program is none of the %u the profile is bound to%s",
		  b->nbindings, first);
	return false;
}
