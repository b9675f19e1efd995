/* libarchive for the image audit, loaded only when an image is read.
 *
 * Linked normally, libarchive and the 14 libraries it pulls in are
 * loaded and relocated at every start of ward: about 5 ms and 3 MiB on
 * every launch, for a feature `ward run` never uses (bench/README.md).
 * So the image code calls it through this table, filled by dlopen on
 * first use.  Include instead of <archive.h>; the macros below keep the
 * calls spelled as libarchive documents them. */
#ifndef WARD_ARCHIVE_DL_H
#define WARD_ARCHIVE_DL_H

#include <archive.h>
#include <archive_entry.h>

#include "base/err.h"

struct ward_archive_fns {
	mode_t (*entry_filetype)(struct archive_entry *);
	const char * (*entry_hardlink)(struct archive_entry *);
	const char * (*entry_hardlink_utf8)(struct archive_entry *);
	const char * (*entry_pathname)(struct archive_entry *);
	const char * (*entry_pathname_utf8)(struct archive_entry *);
	mode_t (*entry_perm)(struct archive_entry *);
	la_int64_t (*entry_size)(struct archive_entry *);
	la_int64_t (*entry_uid)(struct archive_entry *);
	la_int64_t (*entry_gid)(struct archive_entry *);
	time_t (*entry_mtime)(struct archive_entry *);
	long (*entry_mtime_nsec)(struct archive_entry *);
	int (*entry_mtime_is_set)(struct archive_entry *);
	int (*entry_size_is_set)(struct archive_entry *);
	const char * (*entry_symlink)(struct archive_entry *);
	const char * (*entry_symlink_utf8)(struct archive_entry *);
	int (*last_errno)(struct archive *);
	const char * (*error_string)(struct archive *);
	la_int64_t (*filter_bytes)(struct archive *, int);
	int (*filter_count)(struct archive *);
	la_ssize_t (*read_data)(struct archive *, void *, size_t);
	int (*read_data_block)(struct archive *, const void **, size_t *, la_int64_t *);
	int (*read_free)(struct archive *);
	la_int64_t (*read_header_position)(struct archive *);
	struct archive * (*read_new)(void);
	int (*read_next_header)(struct archive *, struct archive_entry **);
	int (*read_open)(struct archive *, void *, archive_open_callback *, archive_read_callback *, archive_close_callback *);
	int (*read_open_fd)(struct archive *, int, size_t);
	int (*read_support_filter_gzip)(struct archive *);
	int (*read_support_filter_zstd)(struct archive *);
	int (*read_support_format_empty)(struct archive *);
	int (*read_support_format_raw)(struct archive *);
	int (*read_support_format_tar)(struct archive *);
	void (*set_error)(struct archive *, int, const char *, ...);
};

extern struct ward_archive_fns ward_archive_fns;

/* Load libarchive (once); 0, or an error naming the library or the
 * missing symbol (WARD_STEP_IMAGE). */
int ward_archive_load(struct ward_err *err);

#ifndef WARD_ARCHIVE_DL_IMPL
#define archive_entry_filetype (ward_archive_fns.entry_filetype)
#define archive_entry_hardlink (ward_archive_fns.entry_hardlink)
#define archive_entry_hardlink_utf8 (ward_archive_fns.entry_hardlink_utf8)
#define archive_entry_pathname (ward_archive_fns.entry_pathname)
#define archive_entry_pathname_utf8 (ward_archive_fns.entry_pathname_utf8)
#define archive_entry_perm (ward_archive_fns.entry_perm)
#define archive_entry_size (ward_archive_fns.entry_size)
#define archive_entry_uid (ward_archive_fns.entry_uid)
#define archive_entry_gid (ward_archive_fns.entry_gid)
#define archive_entry_mtime (ward_archive_fns.entry_mtime)
#define archive_entry_mtime_nsec (ward_archive_fns.entry_mtime_nsec)
#define archive_entry_mtime_is_set (ward_archive_fns.entry_mtime_is_set)
#define archive_entry_size_is_set (ward_archive_fns.entry_size_is_set)
#define archive_entry_symlink (ward_archive_fns.entry_symlink)
#define archive_entry_symlink_utf8 (ward_archive_fns.entry_symlink_utf8)
#define archive_errno (ward_archive_fns.last_errno)
#define archive_error_string (ward_archive_fns.error_string)
#define archive_filter_bytes (ward_archive_fns.filter_bytes)
#define archive_filter_count (ward_archive_fns.filter_count)
#define archive_read_data (ward_archive_fns.read_data)
#define archive_read_data_block (ward_archive_fns.read_data_block)
#define archive_read_free (ward_archive_fns.read_free)
#define archive_read_header_position (ward_archive_fns.read_header_position)
#define archive_read_new (ward_archive_fns.read_new)
#define archive_read_next_header (ward_archive_fns.read_next_header)
#define archive_read_open (ward_archive_fns.read_open)
#define archive_read_open_fd (ward_archive_fns.read_open_fd)
#define archive_read_support_filter_gzip (ward_archive_fns.read_support_filter_gzip)
#define archive_read_support_filter_zstd (ward_archive_fns.read_support_filter_zstd)
#define archive_read_support_format_empty (ward_archive_fns.read_support_format_empty)
#define archive_read_support_format_raw (ward_archive_fns.read_support_format_raw)
#define archive_read_support_format_tar (ward_archive_fns.read_support_format_tar)
#define archive_set_error (ward_archive_fns.set_error)
#endif

#endif
