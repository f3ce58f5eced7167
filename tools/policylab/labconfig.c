/*
 * labconfig.c - parsing and applying the lab's policy specs (labconfig.h).
 * Every knob goes through its registered pseudo-file's store, so the lab
 * accepts exactly what the kernel's /sys/kernel/mm accepts.
 */
#include <stdio.h>
#include "tools/hostmm/hostmm_vm.h"
#include "tools/policylab/labconfig.h"

void lab_config_label(const char *spec, char *buf, size_t len)
{
	const char *sp = strchr(spec, ' ');
	size_t n = sp ? (size_t)(sp - spec) : strlen(spec);

	if (n && spec[n - 1] == ':')
		n--;
	else
		n = strlen(spec);
	snprintf(buf, len, "%.*s", (int)n, spec);
}

static const char *const short_keys[][2] = {
	{ "policy", FOLIO_SYSFS_DIR "/policy" },
	{ "allow_order1", FOLIO_SYSFS_DIR "/allow_order1" },
	{ "cow_policy", FOLIO_SYSFS_DIR "/cow_policy" },
	{ "madv_free_split", FOLIO_SYSFS_DIR "/madv_free_split" },
	{ "top", THP_SYSFS_DIR "/enabled" },
};

static void policy_names(char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < NR_ANON_POLICIES && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? " " : "", anon_policies[i]->name);
}

/* The trace header's own configuration. */
static void apply_recorded(const struct foliotrace_header *h)
{
	static const enum thp_mode mode[] = { THP_NEVER, THP_ALWAYS, THP_MADVISE, THP_INHERIT };
	long id = anon_policy_parse(h->policy, strnlen(h->policy, FT_POLICY_LEN));

	anon_order_config.top = mode[h->thp_top & 3];
	for (unsigned int k = 1; k <= MTHP_MAX_ORDER; k++)
		anon_order_config.size[k] = mode[h->thp_mode[k] & 3];
	anon_order_config.allow_order1 = h->allow_order1;
	if (id >= 0)
		anon_order_config.policy = (enum anon_policy_id)id;
}

static int apply_word(const char *w, const struct foliotrace_header *hdr, bool *knobs, char *msg, size_t msglen)
{
	char path[256], names[128];
	const char *eq = strchr(w, '=');
	const struct host_pseudo_file *f;
	long ret;

	if (!strcmp(w, "recorded")) {
		if (!hdr)
			return snprintf(msg, msglen, "'recorded' needs a trace"), -1;
		apply_recorded(hdr);
		*knobs = true;
		return 0;
	}
	if (!eq)
		return snprintf(msg, msglen, "'%s': expected KEY=VALUE", w), -1;
	if (!strncmp(w, "thp_anon=", 9)) {
		if (thp_anon_parse(eq + 1, &anon_order_config))
			return snprintf(msg, msglen, "bad thp_anon string '%s' (e.g. 16K-64K:always;2M:never)", eq + 1), -1;
		return 0;
	}
	snprintf(path, sizeof(path), "/sys/kernel/mm/%.*s", (int)(eq - w), w);
	for (unsigned int i = 0; i < ARRAY_SIZE(short_keys); i++)
		if (strlen(short_keys[i][0]) == (size_t)(eq - w) && !strncmp(w, short_keys[i][0], (size_t)(eq - w)))
			snprintf(path, sizeof(path), "%s", short_keys[i][1]);
	f = hostmm_pseudo_file(path);
	if (!f || !(f->store || f->store_data))
		return snprintf(msg, msglen, "unknown knob '%.*s' (no writable %s)", (int)(eq - w), w, path), -1;
	ret = vm_knob_write(path, eq + 1);
	if (ret >= 0)
		return 0;
	if (!strcmp(path, FOLIO_SYSFS_DIR "/policy")) {
		policy_names(names, sizeof(names));
		return snprintf(msg, msglen, "unknown policy '%s' (known: %s)", eq + 1, names), -1;
	}
	return snprintf(msg, msglen, "bad value '%s' for %s (error %ld)", eq + 1, path, ret), -1;
}

int lab_config_apply(const char *spec, const struct foliotrace_header *hdr, bool *knobs, char *msg, size_t msglen)
{
	char buf[512], *save, *w;
	bool first = true;

	*knobs = false;
	snprintf(buf, sizeof(buf), "%s", spec);
	for (w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save), first = false) {
		if (first && w[strlen(w) - 1] == ':')
			continue;
		if (apply_word(w, hdr, knobs, msg, msglen))
			return -1;
	}
	return 0;
}
