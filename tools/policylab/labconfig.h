/*
 * labconfig.h - a policy configuration of the lab, as one string, applied
 * to the host mm through the same /sys/kernel/mm files the kernel has.
 *
 * A spec is space-separated words (docs/policylab.md "The lab"):
 *   NAME:            an optional label first (the table's row name)
 *   policy=P         /sys/kernel/mm/folio/policy (linux adaptive reserve utilisation)
 *   thp_anon=S       the boot parameter's syntax: "16K-64K:always;2M:never"
 *   top=M            transparent_hugepage/enabled (always madvise never)
 *   allow_order1=B cow_policy=C madv_free_split=S   the folio knobs
 *   DIR/FILE=V       any other file below /sys/kernel/mm/ (policy tunables:
 *                    folio/policy_reserve/promote_percent=50)
 *   recorded         the configuration the trace was recorded under (its header),
 *                    and its changes during the run (FT_KNOB records, replayed)
 * Words apply left to right after the defaults (vm_setup's, i.e. the kernel's).
 */
#ifndef POLICYLAB_LABCONFIG_H
#define POLICYLAB_LABCONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <uapi/foliotrace.h>

/* The label of spec (its first word when it ends in ':', else the whole spec), into buf. */
void lab_config_label(const char *spec, char *buf, size_t len);

/*
 * Apply spec (hdr: the trace's header, for "recorded"; may be NULL); *knobs
 * says whether the replay follows the trace's FT_KNOB records (the spec has
 * "recorded").  Returns 0, or -1 with a message naming the bad word in msg.
 */
int lab_config_apply(const char *spec, const struct foliotrace_header *hdr, bool *knobs, char *msg, size_t msglen);

#endif
