/* Stand-in for image/prepare.h until the image cache is built: every
 * ward run --image is refused. */
#include <errno.h>
#include <stdlib.h>

#include "image/prepare.h"

int ward_image_prepare(const struct ward_image_request *req,
		       struct ward_image_prepared *out, struct ward_err *err)
{
	return ward_err_set(err, WARD_STEP_IMAGE, ENOSYS,
			    "--image %s: images cannot be run by this build", req->path);
}

void ward_image_prepared_free(struct ward_image_prepared *p)
{
}

size_t ward_image_refused(const struct ward_image_prepared *p,
			  char *const *accept, size_t naccept,
			  const struct ward_image_finding **out, size_t max)
{
	return 0;
}
