/*
 * table.c - the table of order policies: every name in ANON_POLICY_LIST
 * (mm/policy/policy.h) is one `<name>_policy` from its own file here.
 * Adding a policy adds a line to that list, nothing here.
 */
#include "mm/policy/policy.h"
#include <uapi/errno.h>

#define ANON_POLICY_DECLARE(id, name) extern const struct anon_policy name##_policy;
ANON_POLICY_LIST(ANON_POLICY_DECLARE)
#undef ANON_POLICY_DECLARE

#define ANON_POLICY_ENTRY(id, name) [ANON_POLICY_##id] = &name##_policy,
const struct anon_policy *const anon_policies[NR_ANON_POLICIES] = {
	ANON_POLICY_LIST(ANON_POLICY_ENTRY)
};
#undef ANON_POLICY_ENTRY

int anon_policy_parse(const char *buf, size_t len)
{
	len = strip_newline(buf, len);
	if (sysfs_word_is("static", buf, len))
		return ANON_POLICY_LINUX;	/* the name before there were policies */
	for (int id = 0; id < NR_ANON_POLICIES; id++)
		if (sysfs_word_is(anon_policies[id]->name, buf, len))
			return id;
	return -EINVAL;
}
