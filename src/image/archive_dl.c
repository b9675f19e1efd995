/* libarchive, loaded on first use (see archive_dl.h). */
#define _GNU_SOURCE
#define WARD_ARCHIVE_DL_IMPL
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/dl.h"
#include "image/archive_dl.h"

#ifndef WARD_ARCHIVE_SONAME
#define WARD_ARCHIVE_SONAME "libarchive.so.13"
#endif

struct ward_archive_fns ward_archive_fns;

static const struct ward_dl_sym symbols[] = {
	{"archive_entry_filetype", offsetof(struct ward_archive_fns, entry_filetype)},
	{"archive_entry_hardlink", offsetof(struct ward_archive_fns, entry_hardlink)},
	{"archive_entry_hardlink_utf8", offsetof(struct ward_archive_fns, entry_hardlink_utf8)},
	{"archive_entry_pathname", offsetof(struct ward_archive_fns, entry_pathname)},
	{"archive_entry_pathname_utf8", offsetof(struct ward_archive_fns, entry_pathname_utf8)},
	{"archive_entry_perm", offsetof(struct ward_archive_fns, entry_perm)},
	{"archive_entry_size", offsetof(struct ward_archive_fns, entry_size)},
	{"archive_entry_uid", offsetof(struct ward_archive_fns, entry_uid)},
	{"archive_entry_gid", offsetof(struct ward_archive_fns, entry_gid)},
	{"archive_entry_mtime", offsetof(struct ward_archive_fns, entry_mtime)},
	{"archive_entry_mtime_nsec", offsetof(struct ward_archive_fns, entry_mtime_nsec)},
	{"archive_entry_mtime_is_set", offsetof(struct ward_archive_fns, entry_mtime_is_set)},
	{"archive_entry_size_is_set", offsetof(struct ward_archive_fns, entry_size_is_set)},
	{"archive_entry_symlink", offsetof(struct ward_archive_fns, entry_symlink)},
	{"archive_entry_symlink_utf8", offsetof(struct ward_archive_fns, entry_symlink_utf8)},
	{"archive_errno", offsetof(struct ward_archive_fns, last_errno)},
	{"archive_error_string", offsetof(struct ward_archive_fns, error_string)},
	{"archive_filter_bytes", offsetof(struct ward_archive_fns, filter_bytes)},
	{"archive_filter_count", offsetof(struct ward_archive_fns, filter_count)},
	{"archive_read_data", offsetof(struct ward_archive_fns, read_data)},
	{"archive_read_data_block", offsetof(struct ward_archive_fns, read_data_block)},
	{"archive_read_free", offsetof(struct ward_archive_fns, read_free)},
	{"archive_read_header_position", offsetof(struct ward_archive_fns, read_header_position)},
	{"archive_read_new", offsetof(struct ward_archive_fns, read_new)},
	{"archive_read_next_header", offsetof(struct ward_archive_fns, read_next_header)},
	{"archive_read_open", offsetof(struct ward_archive_fns, read_open)},
	{"archive_read_open_fd", offsetof(struct ward_archive_fns, read_open_fd)},
	{"archive_read_support_filter_gzip", offsetof(struct ward_archive_fns, read_support_filter_gzip)},
	{"archive_read_support_filter_zstd", offsetof(struct ward_archive_fns, read_support_filter_zstd)},
	{"archive_read_support_format_empty", offsetof(struct ward_archive_fns, read_support_format_empty)},
	{"archive_read_support_format_raw", offsetof(struct ward_archive_fns, read_support_format_raw)},
	{"archive_read_support_format_tar", offsetof(struct ward_archive_fns, read_support_format_tar)},
	{"archive_set_error", offsetof(struct ward_archive_fns, set_error)},
};

int ward_archive_load(struct ward_err *err)
{
	static bool loaded;
	const char *why;

	if (loaded)
		return 0;
	if (ward_dl_load(WARD_ARCHIVE_SONAME, symbols, sizeof(symbols) / sizeof(symbols[0]),
			 &ward_archive_fns, &why) < 0)
		return ward_err_set(err, WARD_STEP_IMAGE, ENOENT,
				    "cannot load %s (apt-get install libarchive13): %s",
				    WARD_ARCHIVE_SONAME, why);
	loaded = true;
	return 0;
}
