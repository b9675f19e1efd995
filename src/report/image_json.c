/* ward check --image --json: the "image" object (schema 2), the facts
 * the rows describe in prose, as fields.  Every string from the image is
 * escaped (names) or masked (history lines) as in the rows. */
#define _GNU_SOURCE
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "report/image_report.h"

/* @s escaped, or null for none ("User": "" is Docker's none). */
static json_object *escaped(const char *s)
{
	char esc[WARD_REPORT_TEXT];

	if (!s || !*s)
		return NULL;
	ward_image_escape(s, esc, sizeof(esc));
	return json_object_new_string(esc);
}

/* {"config_user", "user", "uid", "gid", "root", "source", "ward",
 * "profile"}: null where unknown. */
static json_object *user_json(const struct ward_image *img)
{
	struct ward_image_runner run;
	json_object *o = json_object_new_object();

	ward_image_runner(img, &run);
	json_object_object_add(o, "config_user", escaped(img->meta.config.user));
	json_object_object_add(o, "user", escaped(run.user));
	json_object_object_add(o, "uid", run.uid_known ? json_object_new_int64(run.uid)
						       : NULL);
	json_object_object_add(o, "gid", run.uid_known && run.gid_known
					 ? json_object_new_int64(run.gid) : NULL);
	json_object_object_add(o, "root", json_object_new_boolean(run.who == WHO_ROOT));
	json_object_object_add(o, "source", json_object_new_string(
		run.by_ward ? "ward-entrypoint" : "config"));
	json_object_object_add(o, "ward", run.by_ward ? escaped(run.ward) : NULL);
	json_object_object_add(o, "profile", run.by_ward ? escaped(run.profile) : NULL);
	return o;
}

/* [{"index", "digest", "bytes", "files", "history"}] */
static json_object *layers_json(const struct ward_image *img, uint64_t *total)
{
	json_object *a = json_object_new_array();

	*total = 0;
	for (size_t i = 0; i < img->meta.nlayers; i++) {
		const struct ward_image_layer_scan *s = img->by_layer[i];
		const char *digest = img->meta.layers[i].digest;
		json_object *o = json_object_new_object();
		char line[512];

		ward_image_layer_line(img, i, line, sizeof(line));
		json_object_object_add(o, "index", json_object_new_int64((int64_t)i));
		json_object_object_add(o, "digest",
				       digest[0] ? json_object_new_string(digest) : NULL);
		json_object_object_add(o, "bytes", json_object_new_int64((int64_t)s->bytes));
		json_object_object_add(o, "files", json_object_new_int64((int64_t)s->files));
		json_object_object_add(o, "history",
				       line[0] ? json_object_new_string(line) : NULL);
		json_object_array_add(a, o);
		*total += s->bytes;
	}
	return a;
}

json_object *ward_image_json(const struct ward_image *img)
{
	static const char *const fmt[] = {
		[WARD_IMAGE_DOCKER_SAVE] = "docker-save",
		[WARD_IMAGE_OCI_DIR] = "oci-dir",
		[WARD_IMAGE_OCI_TAR] = "oci-tar",
	};
	json_object *o = json_object_new_object();
	json_object *layers;
	uint64_t total;

	if (!o)
		return NULL;
	layers = layers_json(img, &total);
	json_object_object_add(o, "name", escaped(img->meta.name));
	json_object_object_add(o, "format", json_object_new_string(fmt[img->meta.format]));
	json_object_object_add(o, "user", user_json(img));
	json_object_object_add(o, "bytes", json_object_new_int64((int64_t)total));
	json_object_object_add(o, "entries", json_object_new_int64((int64_t)img->entries));
	json_object_object_add(o, "layers", layers);
	return o;
}

int ward_image_print_json(const struct ward_image *img,
			  const struct ward_report *r,
			  const struct ward_plan *plan, FILE *out)
{
	json_object *root = ward_report_json(r, plan);

	if (root)
		json_object_object_add(root, "image", ward_image_json(img));
	return ward_report_write_json(root, out);
}
